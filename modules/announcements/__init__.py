"""Announcements and news (公告与新闻): columns, posts for an audience, read receipts. See README.md in this folder."""
