"""The request bodies: realistic answer sets part-way through an interview."""

from __future__ import annotations

from typing import Any


def case(sex: str, answers: dict[str, str]) -> dict[str, Any]:
    return {
        "age": 45,
        "sex": sex,
        "evidence": [{"id": finding, "state": state} for finding, state in answers.items()],
    }


# Realistic bodies: a 45-year-old part-way through the interview (8 to 12 answers), in a few
# different stories so that the posterior and the next question differ between requests.
CASES: list[dict[str, Any]] = [
    case(
        "male",
        {  # a strain after a day of lifting
            "location_one_side": "present",
            "lifting_trigger": "present",
            "onset_hours": "present",
            "character_dull_ache": "present",
            "worse_with_movement": "present",
            "eased_by_rest": "present",
            "pressing_reproduces": "present",
            "trauma_none": "present",
            "chest_pain": "absent",
            "shortness_of_breath": "absent",
            "fever": "absent",
        },
    ),
    case(
        "female",
        {  # months of aching at a desk
            "location_between_shoulder_blades": "present",
            "onset_gradual": "present",
            "duration_over_3_months": "present",
            "character_dull_ache": "present",
            "desk_work": "present",
            "worse_with_sitting": "present",
            "eased_by_position_change": "present",
            "pregnant": "absent",
            "night_pain": "absent",
            "weight_loss": "absent",
        },
    ),
    case(
        "female",
        {  # a burning band around one side of the chest
            "location_band_around_chest": "present",
            "character_burning": "present",
            "skin_sensitivity": "present",
            "rash_band": "unknown",
            "onset_gradual": "present",
            "duration_days_to_6_weeks": "present",
            "fever": "absent",
            "cough": "absent",
            "chest_pain": "absent",
        },
    ),
    case(
        "male",
        {  # pain under the right shoulder blade after fatty meals
            "location_right_shoulder_blade": "present",
            "worse_after_meals": "present",
            "nausea_vomiting": "present",
            "upper_abdominal_pain": "present",
            "gallstones_history": "unknown",
            "character_colicky": "present",
            "onset_hours": "present",
            "jaundice": "absent",
            "fever": "absent",
            "severity_severe": "present",
        },
    ),
    case(
        "male",
        {  # colicky flank pain spreading to the groin
            "location_lower_ribs_flank": "present",
            "character_colicky": "present",
            "pain_to_groin": "present",
            "restless_with_pain": "present",
            "blood_in_urine": "unknown",
            "urinary_symptoms": "present",
            "onset_sudden": "present",
            "fever": "absent",
        },
    ),
    case(
        "female",
        {  # sudden pain between the shoulder blades with high blood pressure
            "onset_sudden": "present",
            "location_between_shoulder_blades": "present",
            "high_blood_pressure": "present",
            "character_sharp": "present",
            "worst_pain_ever": "absent",
            "chest_pain": "absent",
            "shortness_of_breath": "absent",
            "fainting": "absent",
            "leg_weakness": "absent",
            "smoker": "present",
            "aortic_or_connective_disease": "absent",
            "trauma_none": "present",
        },
    ),
]
