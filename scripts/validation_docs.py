"""Regenerate docs/validation.md from the vignette benchmark (never edit its figures by hand).

python scripts/validation_docs.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from midback.domain import TriageLevel
from midback.knowledge import load_knowledge
from midback.validation import load_vignettes, run_benchmark
from midback.validation.benchmark import BenchmarkReport

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT_NOTE = """- **Holdout**: {n} vignettes written in November 2026 by writers who were not shown
  midback's answers, in six batches, each measured once when it was added, before any change
  made after seeing it. Their figures are the cleanest estimate here.
  - First batch (31, `holdout.yaml`), written after the changes of the first validation
    sessions; first measured on 23 November 2026 (interview mode: top-1 51.6%, top-3 80.6%,
    exact triage 54.8%, safe triage 90.3%, 3 of 14 emergencies below the emergency department).
  - Second batch (30, `holdout2.yaml`), written while the warning-sign sweep, the sudden-worsening
    finding and the sepsis rule were added, and measured after them on 23 November 2026
    (interview mode: top-1 66.7%, top-3 80.0%, exact triage 60.0%, safe triage 96.7%, 1 of 10
    emergencies below the emergency department, 7 of 10 self-care vignettes sent to a doctor
    and none within 24 hours, median 14 questions; full mode: top-1 73.3%, top-3 90.0%, exact
    triage 73.3%, safe triage 100%). Two drafts were dropped before that measurement: one cited
    a library proxy address, and one described only low back pain, outside midback's field.
  - Third batch (20, `holdout3.yaml`), written on 24 November 2026 while the third tune set
    was added, and measured after the changes chosen on it (interview mode: top-1 65.0%, top-3
    80.0%, exact triage 75.0%, safe triage 100%, 0 of 7 emergencies below the emergency
    department, no self-care vignette sent to 24 hours or above, median 12.5 questions; full
    mode: top-1 70.0%, top-3 90.0%, exact triage 75.0%, safe triage 100%). Many of its sources
    are textbook or education pages.
  - Fourth batch (20, `holdout4.yaml`), written on 24 November 2026, one vignette for each of
    20 conditions, and measured after that day's change (interview mode: top-1 70.0%, top-3
    85.0%, exact triage 75.0%, safe triage 100%, 0 of 7 emergencies below the emergency
    department, none of its 6 self-care vignettes sent to 24 hours or above, median 11.5
    questions; full mode: top-1 65.0%, top-3 95.0%, exact triage 85.0%, safe triage 100%).
    Many of its self-care sources are patients' accounts or clinic pages. Measuring it showed a
    fault in the benchmark, not the engine: the simulated patient stated its complaint one
    finding at a time, so a complaint listing a pregnancy symptom before "pregnant" stopped the
    run. The complaint is now stated at once, and the loader checks that it can be.
  - Fifth batch (6, `holdout5.yaml`), written on 24 November 2026; 20 were asked for, one per
    condition, but the writer found unused sources for only 7 in the time, and one was dropped
    in review (a patient's account that named no diagnosis). Measured once, after that day's
    changes (interview mode: top-1 33.3%, top-3 50.0%, exact triage 66.7%, safe triage 83.3%,
    1 of 4 emergencies below the emergency department, none of its 2 self-care vignettes sent
    to 24 hours or above, median 15 questions; full mode: top-1 16.7%, top-3 66.7%, exact
    triage 83.3%, safe triage 83.3%). The miss is a 45-year-old woman with severe pain at the
    top of the stomach going through to the back and nothing else stated (acute pancreatitis):
    no rule covered severe upper-belly pain at that age without vomiting, a known cause or a
    sudden start. It was left as a known miss; a later rule prompted by it now catches it (see
    the list below).
  - Sixth batch (14, `holdout6.yaml`), written on 24 November 2026, one vignette for each of
    14 conditions (no unused kidney-infection source was found), and measured once, after that
    day's changes (interview mode: top-1 50.0%, top-3 64.3%, exact triage 42.9%, safe triage
    78.6%, 3 of 5 emergencies below the emergency department, none of its 4 self-care vignettes
    sent to 24 hours or above, median 28 questions; full mode: top-1 64.3%, top-3 64.3%, exact
    triage 71.4%, safe triage 85.7%, 2 emergencies missed). The misses: a week of constant
    shoulder-blade ache in a 46-year-old tiler, twice called a shoulder problem, that was a heart
    attack (a clinic blog's summary of a published case); a sudden stabbing pain in the middle
    of the back while walking, worse on breathing and moving, in a 55-year-old with untreated
    high blood pressure, that was an aortic intramural haematoma (sent within 24 hours: movement
    explains the pain away for the sudden-pain rule, and no severity was given); and seven
    months of upper back pain with night pain, evening fevers, night sweats and weight loss in a
    21-year-old (spinal tuberculosis, sent within 24 hours; its writer called the emergency
    department arguable). It also showed a gap in the interview: a 37-year-old who had had
    breast cancer was never asked about a past cancer in 29 questions (see below).

  Any later change prompted by holdout failures is listed here:
  - 23 November 2026: two findings the interview can ask about, "painkillers have not helped
    at all" and "vomiting so that fluids do not stay down", each with an emergency rule taken
    from the renal colic and kidney infection guidance (`kidney_pain_uncontrolled`,
    `cannot_keep_fluids_down`). The holdout's kidney-stone and kidney-infection failures
    prompted them; both are warning signs the condition files already listed.
  - 24 November 2026: two emergency-department rules taken from public NHS advice for stomach
    ache and primary-care guidance on acute pancreatitis: pain at the top of the stomach that is
    severe or came on very suddenly and has not lasted more than six weeks
    (`severe_upper_abdominal_pain`), and pain at the top of the stomach with sickness or
    vomiting in someone with diabetes (`diabetes_vomiting_with_belly_pain`). Two holdout
    pancreatitis misses prompted them (the fifth batch's 45-year-old above, and a 55-year-old
    woman with diabetes who kept being sick); both now go to the emergency department, so the
    holdout's emergency figures count two vignettes that are no longer unseen (4 misses before
    the rules, 2 after). On the tune and test splits they changed no triage in interview mode;
    in full mode a tune shingles before the rash (sudden pain at the top of the stomach) went
    from 24 hours to the emergency department. Two pancreatitis vignettes already sent to the
    emergency department now stop earlier and rank the gold cause one place lower.
  - 24 November 2026: every interview that does not stop for an emergency now asks about a
    past cancer before it ends (`before_stopping` in `triage.yaml`), as a clinician asks
    everyone with back pain (a past cancer is the strongest single clue to a spinal
    metastasis, LR+ 23.7). The sixth batch's 37-year-old with a past breast cancer, never
    asked it in 29 questions, prompted it. On the holdout it sends two spinal metastases and a
    spondylosis to 24 hours (their gold level) and a desk-worker's ache from self-care to a
    routine appointment (the story does not say whether she had cancer, and the extra "don't
    know" tips the uncertainty floor). On the tune split it changed no triage or ranking; on
    the test split it changed three triage levels (one self-care vignette to a routine
    appointment by the uncertainty floor, as above; a five-week strain whose story says "never
    had cancer" from a routine appointment to self-care; a weight-losing 69-year-old from 24
    hours to the emergency department, because ruling out cancer left a heart cause above 5%),
    and the median number of questions rose by one (test split 15 to 16, one over the target).
"""
TARGETS = {"top1": 0.80, "top3": 0.95, "exact_triage": 0.85, "safe_triage": 1.0}


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def headline(reports: dict[str, BenchmarkReport]) -> str:
    names = list(reports)
    lines = ["| measure | target | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    figures = {name: report.figures() for name, report in reports.items()}

    def row(label: str, target: str, key: str, fmt=pct) -> None:
        lines.append(
            f"| {label} | {target} | " + " | ".join(fmt(figures[n][key]) for n in names) + " |"
        )

    row("vignettes", "", "vignettes", str)
    row("top-1 accuracy (gold condition ranked first)", ">= 80%", "top1")
    row("top-1 counting acceptable alternatives", "", "top1_including_acceptable")
    row("top-3 accuracy", ">= 95%", "top3")
    row("exact triage", ">= 85%", "exact_triage")
    row("safe triage", "100%", "safe_triage")
    row("emergency vignettes triaged below emergency_department", "0", "emergencies_missed", str)
    row(
        "self-care vignettes sent to see_doctor_24h or above",
        "<= 10%",
        "self_care_sent_24h_or_above",
    )
    row(
        "questions asked, median (interview mode)",
        "<= 15",
        "questions_median",
        lambda v: "-" if v is None else f"{v:g}",
    )
    row(
        "questions asked, 90th percentile",
        "",
        "questions_p90",
        lambda v: "-" if v is None else f"{v:g}",
    )
    return "\n".join(lines)


def by_level(report: BenchmarkReport) -> str:
    lines = [
        "| gold level | vignettes | exact | under-triage | over-triage |",
        "|---|---|---|---|---|",
    ]
    for level, row in report.figures()["by_gold_level"].items():
        lines.append(
            f"| {level} | {row['vignettes']} | {pct(row['exact'])} | "
            f"{pct(row['under_triage'])} | {pct(row['over_triage'])} |"
        )
    return "\n".join(lines)


def per_condition(report: BenchmarkReport) -> str:
    lines = [
        "| condition | vignettes | top-1 | top-3 | exact triage | safe triage |",
        "|---|---|---|---|---|---|",
    ]
    for condition, row in report.per_condition().items():
        lines.append(
            f"| {condition} | {row['vignettes']} | {pct(row['top1'])} | "
            f"{pct(row['top3'])} | {pct(row['exact_triage'])} | {pct(row['safe_triage'])} |"
        )
    return "\n".join(lines)


def failures(report: BenchmarkReport) -> str:
    lines = [
        "| vignette | split | gold | ranked first | gold triage | midback triage |",
        "|---|---|---|---|---|---|",
    ]
    for x in report.failures():
        lines.append(
            f"| {x.vignette.id} | {x.vignette.split} | {x.vignette.gold.condition} "
            f"(rank {x.gold_rank}) | {x.ranked[0][0]} ({x.ranked[0][1]:.0%}) | "
            f"{x.vignette.gold.triage.value} | {x.triage.value} |"
        )
    return "\n".join(lines)


def main() -> None:
    kb = load_knowledge()
    vignettes = load_vignettes(kb)
    test = [v for v in vignettes if v.split == "test"]
    tune = [v for v in vignettes if v.split == "tune"]
    holdout = [v for v in vignettes if v.split == "holdout"]
    splits = (
        {"holdout": holdout, "test": test, "tune": tune}
        if holdout
        else {"test": test, "tune": tune}
    )
    reports = {
        f"{name}, {mode}": run_benchmark(kb, chosen, mode)
        for mode in ("interview", "full")
        for name, chosen in splits.items()
    }
    levels = Counter(v.gold.triage for v in vignettes)
    mix = ", ".join(f"{levels[level]} {level.value}" for level in reversed(TriageLevel))
    everything = run_benchmark(kb, vignettes, "interview")
    confusions = "\n".join(f"- {g} ranked below {s}: {n}" for g, s, n in everything.confusions())
    text = f"""# Validation

Generated by `python scripts/validation_docs.py` from the vignette benchmark
(`midback bench`); do not edit the figures by hand. Knowledge base {kb.version}.

## Method

midback is measured the way published symptom-checker audits measured their subjects
(Semigran et al., BMJ 2015: 23 checkers, 45 vignettes, correct diagnosis first in 34%,
appropriate triage in 57%; Gilbert et al., BMJ Open 2020: 200 vignettes, top-3 accuracy 70.5%
for the best app and 82.1% for GPs, safe triage 97% for GPs). Each vignette
(`midback/validation/vignettes/*.yaml`, format in [vignettes.md](vignettes.md)) is grounded in
a published case report, case series or textbook presentation, written in our own words, with
a gold condition, acceptable alternatives and a gold triage level.

- **Interview mode**: a simulated patient states the chief complaint, then answers the
  engine's questions from the vignette; anything the vignette does not say is answered
  "don't know". This measures accuracy and how many questions it took.
- **Full mode**: all the vignette's facts are given at once; this measures the knowledge base
  alone.
- **Safe triage**: the gold level, a more urgent one, or at most one level less urgent, except
  that an emergency vignette (gold `call_ambulance` or `emergency_department`) must be triaged
  as an emergency.
- **Splits**: about a third of the vignettes are a locked **test** split, measured but never
  used to tune the knowledge base; the rest are the **tune** split, to which two sets written
  blind in November 2026 (`tune2.yaml` to `tune5.yaml`) added atypical emergencies and benign
  look-alikes. The vignettes were written from their sources by people who did not look at
  midback's answers. One caveat: three generic
  engine changes of November 2026 (asking the warning signs of the leading cause before the
  interview settles; the uncertainty floor for mostly "don't know" answers; and, before the
  interview stops for any reason, asking any question whose "yes" alone would fire an emergency
  rule for a cause still at 5% or more) were prompted in part by reading failures listed on this
  page, which include test vignettes (the last by peptic_ulcer_03, whose black stools were never
  asked about). The uncertainty threshold was compared on all vignettes before it was chosen on
  the tune split; the last change made no difference on the tune split at any threshold from 1%
  to 20%. None of them names a condition or a vignette, but the test figures after them are not
  fully independent. Fifteen test vignettes (`test2.yaml`) were added on 23 November 2026, by
  writers blind to midback's answers, to keep the test split at about a third after a second
  tune set was added; first measured that day, after all of that day's changes (interview mode:
  top-1 53.3%, top-3 80.0%, exact triage 46.7%, safe triage 93.3%, 1 of 3 emergencies below the
  emergency department). Ten more (`test3.yaml`, 24 November 2026, ten conditions, several
  pitfalls) keep it at about 30% after the fourth tune set; first measured after that day's
  change (interview mode: top-1 30.0%, top-3 60.0%, exact triage 50.0%, safe triage 100%, 0 of
  3 emergencies below the emergency department, 1 of 4 self-care vignettes sent to 24 hours or
  above, median 17 questions). Two drafts were dropped because their sources were already
  used (one by a holdout vignette, one by an earlier vignette). One test vignette
  (spinal_infection_03, redness and pus where an epidural tube went in) was re-coded on
  24 November 2026 when the finding for redness, swelling or discharge at a procedure site was
  added, as docs/vignettes.md requires; the earlier version of this page named it as missed for
  want of that finding, so that finding was prompted in part by a test failure, and the test
  vignette's fix is not independent evidence. Twelve more (`test4.yaml`, 24 November 2026, nine
  conditions) were written blind as part of a holdout batch and relabelled test before any was
  run, because the sixth tune set had taken the test share below 28%; first measured after
  that day's changes (interview mode: top-1 50.0%, top-3 50.0%, exact triage 41.7%, safe
  triage 100%, 0 of 2 emergencies below the emergency department, none of its 3 self-care
  vignettes sent to 24 hours or above, median 18 questions; full mode: top-1 58.3%, top-3
  66.7%, exact triage 33.3%, safe triage 91.7%). All three of its self-care vignettes were
  sent to a doctor. Its sources are mostly patients' accounts and clinic or teaching pages.

{HOLDOUT_NOTE.format(n=len(holdout)) if holdout else ""}
The suite has {len(vignettes)} vignettes ({len(holdout)} holdout, {len(test)} test,
{len(tune)} tune): {mix}.

## Headline figures

{headline(reports)}

## Triage by gold level ({"holdout" if holdout else "test"} split, interview mode)

{by_level(reports["holdout, interview" if holdout else "test, interview"])}

## Triage by gold level (all vignettes, interview mode)

{by_level(everything)}

## Per condition (all vignettes, interview mode)

{per_condition(everything)}

## Most frequent mix-ups (all vignettes, interview mode)

{confusions or "None."}

## Vignettes not fully right (all vignettes, interview mode)

Either the gold condition was not ranked first or the triage level was not exactly the gold one.

{failures(everything)}

## Known weaknesses

- **The targets are not met.** On the locked test split midback is well below the targets for
  top-1 and top-3 accuracy and exact triage, and some emergency vignettes are triaged below the
  emergency department (the table above; their ids are listed as `known_emergency_misses` in
  `midback/validation/floors.yaml`, which CI uses so that no new one can appear unnoticed).
  The tune split scores higher than the test split: part of the tuning does not generalise.
- Most misses are sparse or atypical stories (a heart attack felt only as interscapular pain
  with no other feature; a dissection described only as chest pain going through to the back;
  a pulmonary embolism with pain that pressing reproduces). Red flags catch the typical
  presentations; the posterior is not yet sharp enough for the atypical ones.
- The vocabulary cannot yet say some things that matter: how unwell someone feels, pain
  that is only bad lying down, or that antibiotics already started are not helping.
  (Redness, swelling or discharge where a needle or an operation went in, known ankylosing
  spondylitis, numbness in both arms, chest pain now or in the last 12 hours, painkillers that
  have not helped, vomiting so that fluids do not stay down, and an older pain that suddenly
  got much worse within the last day were added in November 2026, each used by a red-flag
  rule.)
- The simulated patient answers "don't know" to anything its vignette does not state, so
  sparse vignettes often run to the 30-question limit; a real person would answer most
  questions. Severe pain that came on suddenly, or began or suddenly got much worse within the
  last day, goes to the emergency department unless an injury, strain or movement explains it
  (`severe_new_pain_unexplained`); it is written for safety, and its cost in over-triage is
  measured only on these vignettes, which have few severe same-day strains or flare-ups.
- **The holdout's self-care vignettes are mostly sent to a doctor.** In the second batch, 7 of
  its 10 self-care vignettes got "see a doctor" (none within 24 hours): their stories leave most
  questions unanswered, so the uncertainty floor applies. This is the floor's known cost; a
  real person would answer more of the questions. Since then a sourced change (people with a
  collapsed lung often come a day or more after it began; RAMPP trial data) raised the chance
  of a collapsed lung in pain that has lasted days, and one of those vignettes (rib-joint pain
  that hurts on breathing) now gets "within 24 hours", so 2 of the holdout's first 19
  self-care vignettes (10.5%) were sent that high, just over the 10% target (2 of 25, 8.0%,
  with the fourth batch, none of whose six was). The tune split's figures did not change; the
  sourced value was kept rather than fitted to the benchmark.
- **The holdout's first batch** (31 vignettes, measured once on 23 November 2026, before any
  change made after seeing it) scores below the test split on exact triage and on self-care: all
  four of its self-care vignettes were sent to a doctor (one within 24 hours). Its stories are sparser
  (median 28 questions, most answered "don't know"), so the uncertainty floor and the
  escalation of dangerous conditions that cannot be ruled out push the level up. Three of its
  emergencies were missed: a clot in the lung two weeks after a broken arm, told as flank pain
  on breathing, and a kidney stone and a kidney infection whose writers chose the emergency
  department because the pain was not controlled or the person kept vomiting. Those two were
  warning signs in the condition files but not findings the interview could ask about; they
  have since been added (see the holdout note in the method).
- In interview mode an emergency red flag ends the interview once the emergency screen is
  finished (since 24 November 2026 the screen is always finished, because a "yes" to chest
  pain, breathlessness or fainting can mean an ambulance; that changed no tune triage), so that
  the person is sent on without delay; the ranking of causes then rests on the few answers
  given so far. Of
  the tune vignettes whose full facts rank the gold condition first but whose interview does
  not, most stopped early this way (cord-compression signs before a past cancer was asked, a
  clot or lung emergency after two or three questions). The triage is right in these cases;
  the top-1 figure pays for the early stop.
- The suite's case mix is not the population's. A third of the vignettes are emergencies,
  while the priors describe people with thoracic back pain in general, among whom a collapsed
  lung or a clot is rare (the priors put them well under 1%). With ambiguous answers a
  calibrated prior ranks the common cause first (a young man with sudden one-sided pain and
  breathlessness: rib-joint pain 54%, collapsed lung 16%), and escalation still sends him to
  the emergency department. Raising the priors of rare conditions would lift top-1 on this
  suite but make the probabilities wrong for real users; we have not done it.
- **The fourth tune set** (15 vignettes, `tune4.yaml`, 24 November 2026) was written on topics
  chosen knowing the emergencies still missed (spinal infection after a spinal procedure,
  pulmonary embolism after surgery or a cast, kidney infection across severities, pancreatitis
  and gallbladder disease without a known cause, and their look-alikes); 12 of 26 drafts were
  dropped first (low-back-only stories, a diagnosis the source did not name, a source already
  used by a test vignette, library or SEO proxy addresses, cases built from general articles).
  Its first measurement (interview mode: top-1 40.0%, top-3 73.3%, exact triage 53.3%, safe
  triage 93.3%, 1 of 6 emergencies below the emergency department, 2 of 3 self-care vignettes
  sent to 24 hours or above) showed the infection-risk rule sending mild soreness where an
  epidural or injection went in to a doctor within 24 hours. That rule now ignores mild pain
  (about 1 in 11 people have pain at the insertion site after an epidural, most of it mild;
  Kang et al. 2021), which sends both look-alikes to self-care in full mode (to a routine
  appointment in interview mode, where most answers are "don't know") and changes no
  other tune vignette. The missed emergency (a kidney infection with vomiting and shaking fits,
  but no temperature stated) was fixed in the fifth tune session: shaking fits you cannot stop
  now go to the emergency department with or without a measured fever (`rigors_sign_of_sepsis`,
  after the UK Sepsis Trust and two cohort studies of shaking chills and bloodstream infection),
  which also sends two pneumonias with rigors (one tune, one holdout, whose gold is within 24
  hours) one level higher. The heart attacks in older people and the spells of angina it was meant to add did
  not survive review (no back pain in the source, proxies, or general articles), so the two
  tune misses of that kind remain.
- **The second tune set** (36 vignettes, `tune2.yaml`, added on 23 November 2026 to give the
  tune split more atypical emergencies and benign look-alikes) rests on weaker sources than the
  rest: eight of its eleven pulmonary embolisms are patients' own accounts published by
  blood-clot charities, and most of its look-alikes are clinic or education pages with ages
  chosen by the writer. Its first measurement missed five of its 21 emergencies; the rule for
  pain on breathing that began within the last day (`pleuritic_pain_today_unexplained`) was
  chosen on the tune split after it and fixes two of them, with no self-care vignette sent
  higher; a rule for a kidney infection with fever and rigors (after NICE NG111's referral
  advice, since widened to `rigors_sign_of_sepsis`) fixes a third. Of the other two, the
  82-year-old with upper-belly and back pain and nothing else goes to the emergency department
  since the rule for new upper-belly pain at 65 or over (`older_person_upper_abdominal_pain`,
  after reviews of abdominal pain in older people: mortality near 10%, more than half admitted);
  two weeks of intermittent pain below the shoulder blades in a man with diabetes is still a
  known miss.
- **The third tune set** (23 vignettes, `tune3.yaml`, 24 November 2026: heart attacks and aortic
  dissections felt in the back, and benign upper-back pain in people with heart risk factors)
  also rests mostly on patients' published accounts and clinic pages. Its first measurement
  missed three of its 11 ambulance cases. Two changes were chosen on the tune split after it:
  a rule for pressing or effort-related pain spreading to the jaw or arms with or without chest
  pain (`cardiac_type_pain_spreading`), and counting severe pain that came on suddenly at full
  strength like severe pain that began today. Each fixed one of the three with no other tune
  vignette's triage changed; the third (a dissection that began on bending, eased by walking
  about, with a cough) is a known miss. Five of its eleven look-alikes were sent to the
  emergency department or an ambulance by the chest-pain rules, which follow NICE's advice for
  chest pain that may be cardiac; two of those stories say a heart check-up was already normal,
  which midback cannot ask.
- **The fifth tune set** (8 vignettes, `tune5.yaml`, 24 November 2026: spinal infection after
  a spinal procedure with look-alikes, and a heart attack felt only between the shoulder
  blades) came with the new question about redness, swelling or discharge where an operation,
  injection or needle went in (`procedure_site_signs`, asked only after a recent procedure or
  infection; its rule `procedure_site_infection` sends a "yes" to the emergency department).
  The question and rule were written before the set was read, and the set was measured once
  after them (interview mode: top-1 12.5%, top-3 37.5%, exact triage 25.0%, safe triage
  100%, 0 of 4 emergencies below the emergency department, 1 of 4 self-care vignettes sent to
  24 hours or above). Its weaknesses: all four spinal infections are triaged right but ranked
  low (a rare cause behind fractures and strains), and all four look-alikes are sent to a
  doctor: two because their pain has lasted more than six weeks (they are already under a pain
  clinic), one by the uncertainty floor, and a teenager two weeks after spinal surgery with a
  clean wound to within 24 hours by the infection-risk rule. Only one of its vignettes has a
  red or discharging site, so the new rule's cost in over-triage is barely measured. Most of
  its sources are abstracts, a hospital case page, patient leaflets used as look-alikes and one
  patient's blog; the heart-attack writer found only one source that no vignette already used.
- **The sixth tune set** (18 vignettes, `tune6.yaml`, 24 November 2026) was asked for after the
  two stomach-pain rules, to measure them on cases nobody had seen: six acute pancreatitis in
  adults under 65 who are not heavy drinkers (most caused by a medicine, several with sparse
  stories), three upper-belly look-alikes, and pulmonary embolism and aortic dissection first
  taken for a pulled muscle, with four rib-strain and rib-joint look-alikes. Measured once
  after the rules (interview mode: top-1 33.3%, top-3 55.6%, exact triage 66.7%, safe triage
  94.4%, 1 of 11 emergencies below the emergency department, none of its 4 self-care
  vignettes sent to 24 hours or above, median 14 questions; full mode: top-1 38.9%, top-3
  72.2%, exact triage 61.1%). Without the rules, 3 of its 6 pancreatitis would have been
  missed in interview mode; with them 1 is: a 20-year-old a week after gallbladder surgery with
  pain at the top of the stomach through to the back and nothing said about how bad it is or
  how it began. A settled gallbladder attack that came on suddenly is sent to the emergency
  department (it was before the rules too), and both dissections get the emergency department
  rather than an ambulance. The pancreatitis rank low in interview mode (4th or 5th), because
  the interview stops as soon as the emergency screen is done. Its sources are weak:
  conference abstracts and posters, patients' accounts on charity sites, a physician's
  magazine story and clinic pages for the look-alikes; one pulmonary embolism's age and sex
  were chosen by the writer.
- The mechanical causes (muscle strain, joint dysfunction, postural pain, spondylosis) overlap
  and are often confused with each other; they share the same triage level and advice.
- Most likelihoods are estimates on a documented frequency scale; only a minority have a
  study behind them (`midback kb check` gives the share). No study reports the causes of
  thoracic back pain in an unselected population, so the priors are estimates.
- The vignettes were written for this project; they are not the published audit vignettes,
  which cover all of medicine rather than back pain. Comparisons with the audits' figures are
  indicative only.
- Naive Bayes assumes answers are independent given the condition; clusters remove the worst
  double counting but not all of it.

## How to re-run

```bash
midback bench                      # all vignettes, interview mode
midback bench --split test --mode full
python scripts/validation_docs.py  # regenerate this page
```
"""
    (ROOT / "docs" / "validation.md").write_text(text, encoding="utf-8")
    print("wrote docs/validation.md")
    update_readme(headline(reports), suite_sentence(vignettes))


def suite_sentence(vignettes: list) -> str:
    """The README's one-line count of the suite by split."""
    count = Counter(v.split for v in vignettes)
    return (
        f"The suite has {len(vignettes)} vignettes: {count['tune']} tune, {count['test']} test"
        f" and {count['holdout']} holdout."
    )


def _replace_between(text: str, name: str, content: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{content}\n{end}{after}"


def update_readme(table: str, suite: str) -> None:
    """Put the suite's size and the headline table into the README between their markers."""
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = _replace_between(text, "suite", suite)
    text = _replace_between(text, "validation", table)
    readme.write_text(text, encoding="utf-8")
    print("updated the figures in README.md")


if __name__ == "__main__":
    main()
