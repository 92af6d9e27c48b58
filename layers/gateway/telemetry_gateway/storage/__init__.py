"""One module per table or bucket: the only code that calls boto3."""
