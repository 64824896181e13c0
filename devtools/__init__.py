"""Development tooling: DynamoDB Local launcher, table set-up, demo seed, dev server. Never shipped."""
