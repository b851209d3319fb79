"""AWS Lambda entry: Alexa invokes `lambda_function.handler(event, context)`."""

from skill.alexa.app import handle


def handler(event, context):  # noqa: ANN001, ANN201 - Lambda's own signature
    return handle(event, context)
