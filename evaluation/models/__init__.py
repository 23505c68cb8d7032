from .experts import Expert
from .feedback import PaperBatch, RespondentCode, Survey, SurveyResponse
from .grades import CommunityReview, OrgGrade
from .objections import Objection
from .rounds import Assignment, Round, RoundProject, Score
from .schemes import Scheme, SchemeDimension, SchemeIndicator

__all__ = [
    "Assignment",
    "CommunityReview",
    "Expert",
    "Objection",
    "OrgGrade",
    "PaperBatch",
    "RespondentCode",
    "Round",
    "RoundProject",
    "Scheme",
    "SchemeDimension",
    "SchemeIndicator",
    "Score",
    "Survey",
    "SurveyResponse",
]
