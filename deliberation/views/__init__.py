"""The deliberation stage's pages: ballot boxes (`ballots`) and councils with their live sessions (`sessions`)."""
