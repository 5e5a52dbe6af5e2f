"""Customers: who placed an order, matched across channels to one Customer Profile."""
