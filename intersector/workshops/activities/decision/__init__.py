"""Decision: the facilitator puts one of a collaborative's open decisions to the room (Collaborate's
decision log). Its representatives and alternates vote on their phones as themselves (signed in,
each as their own member of the collaborative, one vote per organisation as the decision says);
everyone else in the room sees the proposal and the standing result. The votes, the closing and
the outcome land in the collaborative's log, its history naming the workshop."""
