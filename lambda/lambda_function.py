"""AWS Lambda entry: Alexa invokes `lambda_function.handler(event, context)`."""

from skill.alexa.app import handle


def handler(event, context):
    return handle(event, context)
