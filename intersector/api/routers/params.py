"""Parameter types shared by the routers, declared exactly as the site accepts them."""

from typing import Annotated

from pydantic import Field

from intersector.inputs import TEXT_PATTERN, VISIBLE_TEXT_PATTERN

# Text without control characters and not made only of invisible characters: the site refuses
# anything else with a 400 before any route runs (intersector/inputs.py), so the schema says so.
Text = Annotated[str, Field(pattern=TEXT_PATTERN)]

# Text that must say something (a name, a title): the services refuse blank ones with a 400 too;
# declaring it tells a script (and the schema's fuzzing) before it sends.
RequiredText = Annotated[str, Field(pattern=VISIBLE_TEXT_PATTERN)]

# An e-mail address as the site's check takes it (django.core.validators.validate_email accepts
# all of these), or nothing: "name@example.org". Written out so a script knows before it sends.
EMAIL_PATTERN = (r"^$|^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*"
                 r"@([A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?\.)+[A-Za-z]{2,20}$")
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)]
