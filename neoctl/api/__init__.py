"""The only code that talks to boto3: the client factory and the calls neoctl makes."""
