"""A WordPress site as a publishing target: its REST client, the post fields a translation
becomes, and the publisher that creates, updates and trashes posts."""
