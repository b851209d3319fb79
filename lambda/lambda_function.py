"""AWS Lambda entry: Alexa invokes `lambda_function.handler(event, context)`.

Importing this module is Lambda's init phase, which SnapStart snapshots: the skill is
built and everything the first answer needs is prepared here, with no request sent
(skill/alexa/lifecycle.py says what and why). After a restore, the runtime calls the
registered hook, which drops what must not outlive a snapshot.
"""

from skill.alexa import lifecycle
from skill.alexa.app import handle

lifecycle.prepare()
lifecycle.register_snapshot_hooks()


def handler(event, context):
    return handle(event, context)
