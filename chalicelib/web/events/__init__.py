"""Members' event pages, one module per screen: the list of events (list_pages), one event and its poster
(detail_pages), registering, cancelling and answering a partner invitation (register_pages), the lottery
(lottery_pages), "my registrations" and "my notifications" (my_pages). ``wording`` words what they share.

What they show comes from chalicelib.services.event_views, the same reads and rules as the JSON API.
"""
