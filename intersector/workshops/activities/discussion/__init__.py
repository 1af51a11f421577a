"""Discussion: tables or the room talk; phones show the questions and the timer."""
