"""neoctl: validated SageMaker Neo compilation jobs and endpoint updates."""

__version__ = "0.1.0"
