"""URL converters of the evaluations app."""


class QuestionCodeConverter:
    """A rubric code such as A.I.1.i.a: anything else (a NUL byte, a slash) is simply not found."""

    regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
