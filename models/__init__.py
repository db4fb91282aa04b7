"""Storage: SQLAlchemy 2.0 typed tables. Every row belongs to one workspace."""

from models.audit import AuditEvent
from models.base import Base, UTCDateTime
from models.delivery import Delivery
from models.employee import ROLES, Employee, Team
from models.event_retry import EventRetry
from models.org_member import OrgMember
from models.policy import PolicyVersion
from models.processed_event import ProcessedEvent
from models.pulse import (
    PulseCellGroup,
    PulseComment,
    PulseQuestion,
    PulseReceipt,
    PulseRelay,
    PulseReply,
    PulseResponse,
    PulseRound,
    PulseTally,
    PulseTurnout,
)
from models.purged_workspace import PurgedWorkspace
from models.resolution import Resolution, ResolutionManager
from models.reward import PUBLIC_NOT_REVOKED, GrantManager, Nomination, RewardGrant
from models.seen_request import SeenRequest
from models.slack_installations import slack_bots, slack_installations, slack_oauth_states
from models.suggestion import BoundaryProposal, Suggestion, SuggestionBacker
from models.workspace import Workspace

__all__ = [
    "PUBLIC_NOT_REVOKED",
    "ROLES",
    "AuditEvent",
    "Base",
    "BoundaryProposal",
    "Delivery",
    "Employee",
    "EventRetry",
    "GrantManager",
    "Nomination",
    "OrgMember",
    "PolicyVersion",
    "ProcessedEvent",
    "PulseCellGroup",
    "PulseComment",
    "PulseQuestion",
    "PulseReceipt",
    "PulseRelay",
    "PulseReply",
    "PulseResponse",
    "PulseRound",
    "PulseTally",
    "PulseTurnout",
    "PurgedWorkspace",
    "Resolution",
    "ResolutionManager",
    "RewardGrant",
    "SeenRequest",
    "Suggestion",
    "SuggestionBacker",
    "Team",
    "UTCDateTime",
    "Workspace",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
]
