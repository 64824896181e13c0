"""Development tooling: DynamoDB Local launcher, table set-up, demo loader, dev server. Never shipped."""
