"""Business rules as pure functions and plain records: no boto3, PynamoDB or Chalice imports here."""
