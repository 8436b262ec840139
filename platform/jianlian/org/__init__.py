"""Organisation online (issue 5): departments, staff profiles and their lifecycle, tags and
groups, contacts with pinyin search, Excel import/export and directory sync — per tenant."""
