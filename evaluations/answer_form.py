"""Read one submitted LKE answer from a POST, as the service expects it.

The answer's fields depend on its question's type, so this is not a Django form: the service
validates the values and explains any problem in the user's language.
"""

from .services import AnswerInput

INPUT_PREFIX = "input:"


def answer_input_from_post(post, *, code: str, level: str) -> tuple[AnswerInput, dict]:
    """Return the AnswerInput for a question and the raw values typed (kept on errors)."""
    typed = {key: value for key, value in post.items() if key != "csrfmiddlewaretoken"}
    inputs = {
        key[len(INPUT_PREFIX) :]: value.strip()
        for key, value in post.items()
        if key.startswith(INPUT_PREFIX)
    }
    try:
        expected_version = int(post.get("version", "0"))
    except ValueError:
        expected_version = 0
    submitted = AnswerInput(
        question=code,
        letter=post["letter"].strip() if "letter" in post else None,
        number=post["number"].strip() if "number" in post else None,
        inputs=inputs or None,
        note=post.get("note"),
        # Only the TPI writes to the unit; other levels never send this field.
        note_to_unit=post.get("note_to_unit") if level == "tpi" else None,
        expected_version=expected_version,
    )
    return submitted, typed
