"""Classic presentations, as a clinician would expect them: answers in, triage and top cause out.

Each row: who, what they report (present / absent), the triage level and the causes one of which
must be ranked first. These are textbook patterns, not the validation vignettes (which live in
midback/validation/vignettes and are measured by `midback bench`).
"""

from __future__ import annotations

import pytest

from midback.domain import AnswerState, Evidence, Patient, Sex
from midback.engine import Assessment
from midback.knowledge import KnowledgeBase

SCREEN_CLEAR = [
    "chest_pain",
    "shortness_of_breath",
    "fainting",
    "leg_weakness",
    "bladder_bowel_change",
    "fever",
]

CASES = [
    # name, age, sex, present, absent, triage, acceptable top causes
    (
        "sudden tearing pain between the shoulder blades, high blood pressure",
        60,
        "male",
        [
            "onset_sudden",
            "character_tearing",
            "location_between_shoulder_blades",
            "high_blood_pressure",
            "severity_severe",
        ],
        [],
        "call_ambulance",
        {"aortic_dissection"},
    ),
    (
        "desk worker, dull ache easing with movement, no red flags",
        34,
        "female",
        [
            "onset_gradual",
            "character_dull_ache",
            "desk_work",
            "eased_by_position_change",
            "worse_with_sitting",
            "location_between_shoulder_blades",
            "trauma_none",
        ],
        [*SCREEN_CLEAR, "pregnant", "night_pain"],
        "self_care",
        {"postural_pain", "muscle_strain"},
    ),
    (
        "lifting strain, sharp one-sided pain, tender spot",
        30,
        "male",
        [
            "onset_hours",
            "lifting_trigger",
            "worse_with_movement",
            "location_one_side",
            "character_sharp",
            "trauma_none",
            "pressing_reproduces",
        ],
        SCREEN_CLEAR,
        "self_care",
        {"muscle_strain", "thoracic_joint_dysfunction"},
    ),
    (
        "shingles before the rash: burning band, sensitive skin",
        68,
        "female",
        [
            "onset_hours",
            "character_burning",
            "location_band_around_chest",
            "skin_sensitivity",
            "trauma_none",
        ],
        [*SCREEN_CLEAR, "rash_band", "worse_with_movement"],
        "see_doctor_24h",
        {"herpes_zoster"},
    ),
    (
        "heart attack felt between the shoulder blades, sweating and sick, diabetes",
        62,
        "female",
        [
            "onset_hours",
            "location_between_shoulder_blades",
            "sweating",
            "nausea_vomiting",
            "diabetes",
            "trauma_none",
        ],
        [
            "chest_pain",
            "fever",
            "fainting",
            "leg_weakness",
            "bladder_bowel_change",
            "shortness_of_breath",
        ],
        "call_ambulance",
        {"acute_coronary_syndrome", "biliary_disease"},
    ),
    (
        "gallbladder pain at the right shoulder blade after fatty meals",
        45,
        "female",
        [
            "location_right_shoulder_blade",
            "worse_after_meals",
            "nausea_vomiting",
            "onset_hours",
            "trauma_none",
        ],
        [*SCREEN_CLEAR, "pregnant"],
        "see_doctor",
        {"biliary_disease"},
    ),
    (
        "older woman on steroids, sudden central pain after a cough",
        74,
        "female",
        [
            "onset_sudden",
            "cough_sneeze_trigger",
            "steroids_long_term",
            "location_central_spine",
            "trauma_none",
            "severity_severe",
        ],
        SCREEN_CLEAR,
        "see_doctor_24h",
        {"osteoporotic_fracture"},
    ),
    (
        "spinal infection without fever in someone who injects drugs",
        38,
        "male",
        [
            "injecting_drugs",
            "onset_gradual",
            "night_pain",
            "location_central_spine",
            "trauma_none",
            "duration_days_to_6_weeks",
        ],
        SCREEN_CLEAR,
        "emergency_department",
        {"spinal_infection"},
    ),
    (
        "teenager with a rounded back that does not straighten",
        15,
        "male",
        [
            "rounded_back",
            "onset_gradual",
            "character_dull_ache",
            "duration_over_3_months",
            "trauma_none",
        ],
        SCREEN_CLEAR,
        "see_doctor",
        {"scheuermann_kyphosis"},
    ),
    (
        "renal colic: flank to groin in waves, restless, blood in urine",
        40,
        "male",
        [
            "location_lower_ribs_flank",
            "character_colicky",
            "pain_to_groin",
            "restless_with_pain",
            "blood_in_urine",
            "onset_sudden",
            "trauma_none",
        ],
        SCREEN_CLEAR,
        "see_doctor_24h",
        {"kidney_stone"},
    ),
    (
        "kidney infection: fever, flank pain, burning urine",
        27,
        "female",
        [
            "fever",
            "location_lower_ribs_flank",
            "urinary_symptoms",
            "nausea_vomiting",
            "onset_hours",
            "trauma_none",
        ],
        [
            "chest_pain",
            "shortness_of_breath",
            "fainting",
            "leg_weakness",
            "bladder_bowel_change",
            "pregnant",
        ],
        "see_doctor_24h",
        {"pyelonephritis"},
    ),
    (
        "young smoker, sudden one-sided sharp pain on breathing, breathless",
        22,
        "male",
        [
            "onset_sudden",
            "character_sharp",
            "worse_with_breathing",
            "shortness_of_breath",
            "smoker",
            "location_one_side",
            "trauma_none",
        ],
        ["chest_pain", "fainting", "leg_weakness", "bladder_bowel_change", "fever"],
        "emergency_department",
        {"pneumothorax"},
    ),
    (
        "pulmonary embolism: sudden breathlessness, swollen leg, after surgery",
        50,
        "female",
        [
            "onset_sudden",
            "shortness_of_breath",
            "worse_with_breathing",
            "leg_swelling",
            "recent_immobility",
            "trauma_none",
        ],
        ["fainting", "leg_weakness", "bladder_bowel_change", "fever"],
        "emergency_department",
        {"pulmonary_embolism"},
    ),
    (
        "young man, months of morning stiffness, better with exercise",
        28,
        "male",
        [
            "onset_gradual",
            "duration_over_3_months",
            "morning_stiffness",
            "better_with_exercise",
            "waking_late_night",
            "nsaid_response",
            "trauma_none",
        ],
        SCREEN_CLEAR,
        "see_doctor",
        {"axial_spondyloarthritis"},
    ),
    (
        "widespread pain, tiredness and poor sleep for months",
        45,
        "female",
        [
            "widespread_pain",
            "fatigue_poor_sleep",
            "duration_over_3_months",
            "onset_gradual",
            "character_dull_ache",
            "trauma_none",
        ],
        [*SCREEN_CLEAR, "pregnant"],
        "see_doctor",
        {"fibromyalgia"},
    ),
    (
        "neck pain with tingling down one arm, provoked by neck movement",
        52,
        "male",
        [
            "neck_pain",
            "arm_pain",
            "arm_numbness",
            "worse_with_neck_movement",
            "onset_gradual",
            "location_one_side",
            "trauma_none",
        ],
        SCREEN_CLEAR,
        "see_doctor",
        {"cervical_radiculopathy"},
    ),
    (
        "past cancer, night pain and weight loss",
        66,
        "female",
        [
            "cancer_history",
            "night_pain",
            "onset_gradual",
            "location_central_spine",
            "weight_loss",
            "trauma_none",
        ],
        SCREEN_CLEAR,
        "see_doctor_24h",
        {"spinal_malignancy"},
    ),
    (
        "pregnant, dull ache, no warning signs",
        30,
        "female",
        [
            "pregnant",
            "pregnancy_over_20_weeks",
            "onset_gradual",
            "character_dull_ache",
            "trauma_none",
        ],
        [*SCREEN_CLEAR, "headache_vision", "upper_abdominal_pain"],
        "self_care",
        {"pregnancy_back_pain"},
    ),
    (
        "road accident, severe central pain",
        35,
        "male",
        ["trauma_major", "location_central_spine", "onset_sudden", "severity_severe"],
        ["chest_pain", "shortness_of_breath", "fainting", "leg_weakness", "bladder_bowel_change"],
        "emergency_department",
        {"traumatic_fracture"},
    ),
]


@pytest.mark.parametrize(
    ("name", "age", "sex", "present", "absent", "level", "top"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_classic_presentation(
    kb: KnowledgeBase,
    name: str,
    age: int,
    sex: str,
    present: list[str],
    absent: list[str],
    level: str,
    top: set[str],
) -> None:
    evidence = [Evidence(f, AnswerState.PRESENT) for f in present]
    evidence += [Evidence(f, AnswerState.ABSENT) for f in absent]
    result = Assessment(kb, Patient(age, Sex(sex)), evidence).result()
    assert result.triage.level.value == level
    assert result.conditions[0].id in top
    assert result.guidance.disclaimer.startswith("midback is not a diagnosis")
    if level == "self_care":
        assert result.guidance.self_care, "a self-care plan"
    if result.triage.level.is_emergency:
        assert not result.guidance.self_care, "nothing that could delay emergency care"
    deciding = result.triage.deciding_reasons
    assert deciding and all(r.findings or r.kind == "reassurance" for r in deciding), (
        "the result says which answers set the level"
    )
