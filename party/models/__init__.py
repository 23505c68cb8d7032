from .organizations import PartyCoverage, PartyOrganization
from .records import ContactAttachment, ContactRecord, JointMeeting, MeetingDecision, PartyActivity

__all__ = [
    "ContactAttachment",
    "ContactRecord",
    "JointMeeting",
    "MeetingDecision",
    "PartyActivity",
    "PartyCoverage",
    "PartyOrganization",
]
