"""Use cases that combine the store with pure domain rules (sign-in, activation, roster import).

Routes call these; these call repositories and ``chalicelib.domain``. No web framework imports here.
"""
