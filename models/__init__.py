"""Storage: SQLAlchemy 2.0 typed tables. Every row belongs to one workspace."""

from models.audit import AuditEvent
from models.base import Base, UTCDateTime
from models.delivery import Delivery
from models.employee import ROLES, Employee, Team
from models.policy import Boundary, PolicyVersion
from models.processed_event import ProcessedEvent
from models.pulse import PulseComment, PulseQuestion, PulseReceipt, PulseRelay, PulseReply, PulseResponse, PulseRound
from models.resolution import Resolution
from models.reward import Nomination, RewardGrant
from models.suggestion import BoundaryProposal, Suggestion, SuggestionBacker
from models.workspace import Workspace

__all__ = [
    "ROLES",
    "AuditEvent",
    "Base",
    "Boundary",
    "BoundaryProposal",
    "Delivery",
    "Employee",
    "Nomination",
    "PolicyVersion",
    "ProcessedEvent",
    "PulseComment",
    "PulseQuestion",
    "PulseReceipt",
    "PulseRelay",
    "PulseReply",
    "PulseResponse",
    "PulseRound",
    "Resolution",
    "RewardGrant",
    "Suggestion",
    "SuggestionBacker",
    "Team",
    "UTCDateTime",
    "Workspace",
]
