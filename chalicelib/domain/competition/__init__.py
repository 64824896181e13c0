"""The competition engine: draws, brackets, round robins, Swiss, team ties, standings, judged and measured contests.

Pure: no storage, no framework. ``model`` holds the shapes every format shares (entries, slots, matches, results);
each format builds matches from a drawn line or list of entries, ``progress`` plays results through them, and
``standings``, ``judging`` and ``measured`` rank what was played. chalicelib.services.competition reads, asks
these functions and writes with conditions.
"""
