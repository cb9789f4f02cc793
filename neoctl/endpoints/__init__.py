"""SageMaker endpoints: update (request, preview, warnings) and waiting for them to settle."""
