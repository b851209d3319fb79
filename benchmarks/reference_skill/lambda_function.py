"""The reference for cold-start figures: the canonical ASK SDK skill on the official
DynamoDB persistence adapter (ask-sdk-dynamodb-persistence-adapter from PyPI, in the
test extra), as its documentation shows it, and nothing more.

On a LaunchRequest it reads the person's persistent attributes (one GetItem, as our
skill's session start) and greets them; it writes nothing and calls no Alexa API, so it
is like for like with our skill's launch without a zone lookup. It builds its boto3
resource at import, as the adapter's documentation does (the adapter module itself also
builds a default resource when imported: the library's cost, kept).

Environment: REFERENCE_TABLE (partition key `id`), DYNAMODB_ENDPOINT (optional), and
the usual AWS region and credentials. benchmarks/skill_latency.py runs it.
"""

import os

import boto3
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_dynamodb.adapter import DynamoDbAdapter

resource = boto3.resource("dynamodb", endpoint_url=os.environ.get("DYNAMODB_ENDPOINT"))
adapter = DynamoDbAdapter(
    table_name=os.environ["REFERENCE_TABLE"],
    partition_key_name="id",
    create_table=False,
    dynamodb_resource=resource,
)


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        saved = handler_input.attributes_manager.persistent_attributes
        speech = "Welcome back." if saved else "Welcome."
        return handler_input.response_builder.speak(speech).ask("Say start.").response


builder = CustomSkillBuilder(persistence_adapter=adapter)
builder.add_request_handler(LaunchRequestHandler())
handler = builder.lambda_handler()
