"""AWS Lambda entry: Alexa invokes `lambda_function.handler(event, context)`.

Importing this module is Lambda's init phase, which SnapStart snapshots: the skill is
built and everything the first answer needs is prepared here, with no request sent
(skill/alexa/lifecycle.py says what and why). After a restore, the runtime calls the
registered hook, which drops what must not outlive a snapshot.

The garbage collector is paused during init: what init builds (modules, classes, the
skill, the compiled routine) lives as long as the process, so the ~60 collections it
would trigger find nothing to free, and cost ~9 ms of a cold start. Afterwards it is
frozen (gc.freeze): later collections skip it too (docs/deploy.md).
"""

import gc

gc.disable()
try:
    from skill.alexa import lifecycle
    from skill.alexa.app import handle

    lifecycle.prepare()
    lifecycle.register_snapshot_hooks()
finally:
    gc.freeze()
    gc.enable()


def handler(event, context):
    return handle(event, context)
