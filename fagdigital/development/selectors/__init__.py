"""Reads of the development app, one module per concern (decision 0018): access (objects named by id and
who may do what), recommendations, plans, demand, communities, statements."""
