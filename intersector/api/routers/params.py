"""Parameter types shared by the routers, declared exactly as the site accepts them."""

from typing import Annotated

from pydantic import Field

from intersector.inputs import TEXT_PATTERN

# Text without control characters and not made only of invisible characters: the site refuses
# anything else with a 400 before any route runs (intersector/inputs.py), so the schema says so.
Text = Annotated[str, Field(pattern=TEXT_PATTERN)]
