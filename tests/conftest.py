import pytest
from django.core.management import call_command


@pytest.fixture
def content(db):
    """The site's real content, loaded from fixtures/."""
    call_command("load_content", verbosity=0)
