"""Approvals (审批): low-code forms and DingTalk-style flows. See README.md in this folder."""
