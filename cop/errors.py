class ServiceError(Exception):
    """A write that cannot be done as asked; its message is shown to the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
