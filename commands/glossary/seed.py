"""The glossary a new group starts with: health, social care and co-production terms in plain words.

Each meaning is at most 25 words and reads easily (Flesch reading ease ≥ 70, checked by a test with textstat).
A group may turn the seeded glossary off or edit any entry."""

from __future__ import annotations

from typing import NamedTuple


class SeedTerm(NamedTuple):
    term: str  # as written, e.g. "ICB" (capitals for acronyms), "care plan"
    meaning: str  # plain words, at most 25 words, reading ease >= 70
    example: str  # a short sentence using the term, as a member might hear it
    also: tuple[str, ...] = ()  # other forms that find it: the expanded form of an acronym, common variants


SEED: tuple[SeedTerm, ...] = (
    # Who is who in the NHS and social care
    SeedTerm(
        "NHS",
        "The National Health Service. It gives you health care free when you need it, paid for by taxes.",
        "The NHS turns 80 in 2028.",
        ("national health service",),
    ),
    SeedTerm(
        "NHS England",
        "The national body that leads the NHS in England. "
        "The government plans to fold it into the Department of Health.",
        "NHS England has set new targets for waiting times.",
        ("nhse",),
    ),
    SeedTerm(
        "DHSC",
        "The part of government that runs health and social care in England. The Health Secretary leads it.",
        "The DHSC will decide on the new funding next month.",
        ("department of health and social care", "department of health"),
    ),
    SeedTerm(
        "ICB",
        "The local NHS body that plans and pays for most health care in your area. ICBs took over from CCGs in 2022.",
        "The ICB has asked our group to look at the new stroke plan.",
        ("integrated care board",),
    ),
    SeedTerm(
        "ICS",
        "All the NHS, council and charity partners in an area who work together to plan care. "
        "The ICB is one part of it.",
        "Our ICS covers three towns and the villages around them.",
        ("integrated care system",),
    ),
    SeedTerm(
        "ICP",
        "A joint group set up by the ICB and local councils. "
        "It writes a plan for the health and care needs of the whole area.",
        "The ICP will agree the health plan for the area in May.",
        ("integrated care partnership",),
    ),
    SeedTerm(
        "CCG",
        "The local NHS bodies that planned and paid for care until July 2022. ICBs took their place.",
        "That report was written by the old CCG, before the ICB took over.",
        ("clinical commissioning group",),
    ),
    SeedTerm(
        "PCN",
        "A group of GP practices near each other that work as a team. "
        "They share staff, such as pharmacists and link workers.",
        "Our PCN now has a mental health worker for all five surgeries.",
        ("primary care network",),
    ),
    SeedTerm(
        "GP",
        "A family doctor who works at your local surgery. For most health problems, your GP is the first one you see.",
        "I had to wait two weeks to see my GP.",
        ("general practitioner", "family doctor"),
    ),
    SeedTerm(
        "GP practice",
        "The place where your GP and the team you see for everyday health needs work. Many people call it the surgery.",
        "Every GP practice in town now takes online bookings.",
        ("gp surgery", "general practice"),
    ),
    SeedTerm(
        "NHS trust",
        "An NHS body that runs hospitals or other local health care. "
        "A foundation trust has more freedom and its own governors.",
        "The trust runs both hospitals in the city.",
        ("foundation trust", "nhs foundation trust"),
    ),
    SeedTerm(
        "acute trust",
        "An NHS body that runs hospitals with A&E, wards and operations. Acute means care that is short and urgent.",
        "The acute trust wants to move some clinics out of the hospital.",
        ("acute hospital",),
    ),
    SeedTerm(
        "community trust",
        "An NHS body that gives care outside hospital. Nurses and therapists may come to your home.",
        "The community trust runs the nurses who visit my mum.",
        ("community health services",),
    ),
    SeedTerm(
        "mental health trust",
        "An NHS body that runs mental health care, both out in the community and on hospital wards.",
        "The mental health trust is opening a new crisis café.",
        ("mental health provider",),
    ),
    SeedTerm(
        "governor",
        "Someone elected to help hold a foundation trust's board to account. Members of the public can stand.",
        "She was elected as a public governor last year.",
        ("council of governors", "public governor"),
    ),
    SeedTerm(
        "NHS board",
        "The top team that runs an NHS trust or ICB. Many of its meetings are held in public, so anyone can watch.",
        "The board will vote on the plan at its meeting in public.",
        ("trust board", "icb board", "board meeting", "board meeting in public"),
    ),
    SeedTerm(
        "local authority",
        "The council for your area. It runs adult and children's social care, public health and many other things.",
        "The local authority pays for most home care.",
        ("local government",),
    ),
    SeedTerm(
        "provider",
        "Any group that gives care, such as a hospital, GP practice, care home or charity.",
        "The ICB is looking for a new provider for the eye clinic.",
        ("service provider", "providers"),
    ),
    SeedTerm(
        "VCSE",
        "Charities, local groups and social firms that help people. Many work closely with the NHS and councils.",
        "The VCSE partners know the local groups we struggle to reach.",
        ("voluntary, community and social enterprise", "voluntary sector", "third sector"),
    ),
    SeedTerm(
        "CQC",
        "The body that checks health and care in England. "
        "It visits places and rates them, from outstanding to inadequate.",
        "The care home got a good rating from the CQC.",
        ("care quality commission",),
    ),
    SeedTerm(
        "Healthwatch",
        "It gathers what people think of health and care and tells those in charge. "
        "Plans say councils and the NHS will take this on.",
        "Healthwatch asked 500 people about their GP visits.",
        ("local healthwatch", "healthwatch england"),
    ),
    SeedTerm(
        "NICE",
        "The national body that says which treatments work well and are good value. The NHS follows its advice.",
        "NICE says this drug should be offered to everyone with the condition.",
        ("national institute for health and care excellence",),
    ),
    SeedTerm(
        "HOSC",
        "A council group that checks local health care. It can question NHS leaders about big changes.",
        "The HOSC wants to hear from patients before the ward closes.",
        ("health overview and scrutiny committee", "health scrutiny"),
    ),
    SeedTerm(
        "health and wellbeing board",
        "A council meeting where leaders from the NHS, the council and the public plan how to help people stay well.",
        "The health and wellbeing board signed off the new plan.",
        ("hwb", "health and well-being board"),
    ),
    SeedTerm(
        "public health",
        "Work to protect and improve the health of everyone in an area, such as help to stop smoking. "
        "Councils lead it.",
        "Public health is running a campaign on blood pressure.",
        ("director of public health", "dph"),
    ),
    SeedTerm(
        "PALS",
        "A hospital team you can talk to if you have a worry about your care. They try to sort it out quickly.",
        "If you are unhappy with the ward, have a word with PALS.",
        ("patient advice and liaison service",),
    ),
    SeedTerm(
        "Ombudsman",
        "A free body that looks into complaints the NHS or council have not put right. It does not take sides.",
        "She took her complaint to the Ombudsman after a year.",
        ("phso", "parliamentary and health service ombudsman", "local government and social care ombudsman"),
    ),
    # How care is organised
    SeedTerm(
        "primary care",
        "The first place most people go for health care, such as GPs, dentists, chemists and eye tests.",
        "The plan is to move more care into primary care.",
        ("primary health care",),
    ),
    SeedTerm(
        "secondary care",
        "Care you are sent on to by your GP. It is often in hospital, such as seeing a heart expert.",
        "Your GP will refer you to secondary care for the scan.",
    ),
    SeedTerm(
        "tertiary care",
        "Very expert care for rare or hard cases. It is often in a big hospital, such as a cancer centre.",
        "He was sent on to tertiary care in London.",
        ("specialised services",),
    ),
    SeedTerm(
        "social care",
        "Help with daily life for people who are older, disabled or unwell, such as washing or dressing. "
        "Councils arrange most of it.",
        "Social care is paid for in a different way from the NHS.",
        ("adult social care", "asc"),
    ),
    SeedTerm(
        "integrated care",
        "When health, social care and other help join up around a person, so they do not have to tell their story "
        "twice.",
        "Integrated care means the nurse and the social worker share one plan.",
        ("joined-up care", "joined up care"),
    ),
    SeedTerm(
        "place",
        "A town, city or council area. The NHS, the council and others there work together on care.",
        "Decisions about home care will be made at place.",
        ("place-based partnership", "place partnership"),
    ),
    SeedTerm(
        "neighbourhood",
        "A small patch, often home to 30,000 to 50,000 people. GPs and other local teams work there as one.",
        "The new neighbourhood team includes nurses, GPs and social workers.",
        ("neighbourhood health", "neighborhood"),
    ),
    SeedTerm(
        "population health",
        "Making a whole group of people healthier, such as everyone in a town, not just one patient at a time.",
        "Population health data shows where people are most at risk.",
        ("population health management", "phm"),
    ),
    SeedTerm(
        "prevention",
        "Stopping illness before it starts, or stopping it getting worse, such as with jabs, checks or healthy habits.",
        "The ICB wants to spend more on prevention.",
        ("preventative care", "preventive care"),
    ),
    SeedTerm(
        "commissioning",
        "Working out what care an area needs, then buying it and checking it works. ICBs and councils do this.",
        "The new stroke service is still being commissioned.",
        ("commissioner", "commissioners"),
    ),
    SeedTerm(
        "10 Year Health Plan",
        "The government's 2025 plan for the NHS in England. "
        "It aims to move care from hospital to home, from paper to digital, and towards prevention.",
        "The 10 Year Health Plan wants more care closer to home.",
        ("ten year health plan", "10 year plan", "fit for the future"),
    ),
    SeedTerm(
        "Better Care Fund",
        "A shared pot of money for the NHS and councils to join up health and social care locally.",
        "The Better Care Fund pays for the falls team.",
        ("bcf",),
    ),
    # Getting care
    SeedTerm(
        "A&E",
        "The part of a hospital for serious injuries and illness that cannot wait. It is open all day and all night.",
        "He waited six hours in A&E on Saturday night.",
        ("accident and emergency", "a and e", "casualty"),
    ),
    SeedTerm(
        "ED",
        "The name staff use for A&E. It treats people who are badly hurt or very ill.",
        "The ED was very busy over the bank holiday.",
        ("emergency department",),
    ),
    SeedTerm(
        "UEC",
        "All the care for people who need help fast, from 111 and ambulances to A&E.",
        "Winter puts huge strain on UEC.",
        ("urgent and emergency care",),
    ),
    SeedTerm(
        "urgent care",
        "Care for health problems that need help the same day but are not life-threatening.",
        "Urgent care is for things like sprains and bad chest infections.",
        ("same-day care", "same day care"),
    ),
    SeedTerm(
        "UTC",
        "A place you can go, often without booking, for minor injuries and illness that need help the same day.",
        "The UTC can X-ray a sprained wrist.",
        ("urgent treatment centre", "walk-in centre", "minor injuries unit"),
    ),
    SeedTerm(
        "111",
        "The free NHS phone line and website for urgent help that is not an emergency. You can use it day or night.",
        "If your GP is shut, call 111.",
        ("nhs 111", "one one one"),
    ),
    SeedTerm(
        "triage",
        "Sorting patients by how urgently they need help, so the most ill are seen first.",
        "At triage a nurse asked about my pain.",
        ("triaged", "triaging"),
    ),
    SeedTerm(
        "referral",
        "When one health worker asks another team to see you, such as a GP sending you to a hospital expert.",
        "The referral to the skin clinic took a month.",
    ),
    SeedTerm(
        "waiting list",
        "The list of people who wait for hospital care, such as a scan or an operation.",
        "There are 2,000 people on the waiting list for hip operations.",
        ("waiting lists",),
    ),
    SeedTerm(
        "RTT",
        "The time from being referred to starting hospital treatment. "
        "The NHS aims for most people to start within 18 weeks.",
        "The trust is behind on its RTT target.",
        ("referral to treatment", "18 week wait"),
    ),
    SeedTerm(
        "elective care",
        "Planned care that is booked ahead, such as a new hip. It is not for emergencies.",
        "Elective care was paused during the strike.",
        ("elective", "planned care", "elective surgery"),
    ),
    SeedTerm(
        "outpatient",
        "A patient who comes to hospital for a check, test or treatment and goes home the same day.",
        "Your outpatient appointment is on Tuesday at ten.",
        ("outpatient appointment", "outpatients"),
    ),
    SeedTerm(
        "inpatient",
        "A patient who stays in hospital for at least one night.",
        "She was an inpatient for a week after her fall.",
        ("inpatients",),
    ),
    SeedTerm(
        "patient pathway",
        "The steps a patient goes through for a health problem, from first seeing someone to the end of their care.",
        "We mapped the patient pathway for people with diabetes.",
        ("care pathway", "pathway"),
    ),
    SeedTerm(
        "discharge",
        "When you leave hospital or stop getting care from a team. Good planning makes sure help is ready at home.",
        "Discharge was planned for Friday but her care was not ready.",
        ("hospital discharge", "discharged"),
    ),
    SeedTerm(
        "delayed discharge",
        "When someone is well enough to leave hospital but has to stay, often while they wait for care to be set up.",
        "Delayed discharge means beds are full of people ready to go home.",
        ("delayed transfer of care", "bed blocking"),
    ),
    SeedTerm(
        "discharge to assess",
        "Leaving hospital once you are well enough, with your longer-term care needs checked at home, not on the ward.",
        "Under discharge to assess, the team visited him the day after he got home.",
        ("d2a",),
    ),
    SeedTerm(
        "virtual ward",
        "You get hospital care in your own home. Staff check on you by phone, video or visits.",
        "Dad was looked after on a virtual ward after his chest infection.",
        ("hospital at home", "virtual wards"),
    ),
    SeedTerm(
        "intermediate care",
        "Short-term care that helps you get well and get home sooner, or stay out of hospital. "
        "It may be in a care home.",
        "He had two weeks of intermediate care before going home.",
        ("step-down care", "step-up care"),
    ),
    SeedTerm(
        "reablement",
        "Short-term help at home, often for up to six weeks. "
        "It helps you relearn daily tasks after an illness or a stay in hospital.",
        "The reablement team helped her get back to making her own meals.",
        ("re-ablement",),
    ),
    SeedTerm(
        "Pharmacy First",
        "Your local chemist can treat some common illnesses, like a sore throat or earache. "
        "You do not need to see a GP first.",
        "Try Pharmacy First for your earache.",
        ("pharmacy first scheme",),
    ),
    SeedTerm(
        "NHS App",
        "A free phone app to book GP visits, order repeat medicines and see your health record.",
        "You can order your repeat medicine on the NHS App.",
    ),
    SeedTerm(
        "shared care record",
        "A way for health and care staff in different places to see key details of your care, so you do not repeat "
        "yourself.",
        "The paramedic could see my medicines on the shared care record.",
        ("summary care record", "scr", "shared record"),
    ),
    SeedTerm(
        "screening",
        "Tests offered to people who feel well, to find health problems early, such as breast or bowel cancer checks.",
        "Bowel screening kits are sent out by post.",
        ("nhs screening",),
    ),
    SeedTerm(
        "annual health check",
        "Each year, people aged 14 or over with a learning disability can have a free check with their GP.",
        "Make sure your son is on the list for his annual health check.",
        ("learning disability health check",),
    ),
    SeedTerm(
        "NHS Talking Therapies",
        "Free NHS help for worry, low mood and depression, by talking with a trained therapist. "
        "You can often refer yourself.",
        "You can refer yourself to NHS Talking Therapies online.",
        ("talking therapies", "iapt", "improving access to psychological therapies"),
    ),
    SeedTerm(
        "CAMHS",
        "NHS mental health care for children and young people, usually up to the age of 18.",
        "The wait for CAMHS is now nine months.",
        ("child and adolescent mental health services", "cypmhs"),
    ),
    # People you meet
    SeedTerm(
        "consultant",
        "A senior hospital doctor who leads a team and is an expert in one kind of care.",
        "The consultant explained the results.",
        ("hospital consultant",),
    ),
    SeedTerm(
        "clinician",
        "Someone who treats patients as their job, such as a doctor, nurse or physio.",
        "Two clinicians and two lay partners sit on the panel.",
        ("clinicians",),
    ),
    SeedTerm(
        "AHP",
        "Health staff who are not doctors or nurses, such as physios and speech therapists. "
        "They help you heal and live well.",
        "AHPs make up a big part of the community team.",
        ("allied health professional", "allied health professionals"),
    ),
    SeedTerm(
        "OT",
        "A health worker who helps you do daily tasks, like washing, cooking or going out, after you have been ill or "
        "hurt.",
        "The OT came round to fit a rail by the bath.",
        ("occupational therapist", "occupational therapy"),
    ),
    SeedTerm(
        "district nurse",
        "A nurse who visits people at home to give care, such as dressing wounds or giving injections.",
        "The district nurse comes twice a week to change his dressing.",
        ("community nurse",),
    ),
    SeedTerm(
        "health visitor",
        "A nurse or midwife with extra training who helps families with babies and young children up to age five.",
        "The health visitor checked the baby's weight.",
        ("health visiting",),
    ),
    SeedTerm(
        "link worker",
        "Someone who takes time to find out what matters to you, then links you to local groups and help.",
        "The link worker put me in touch with a walking group.",
        ("social prescribing link worker",),
    ),
    SeedTerm(
        "care worker",
        "A paid worker who helps people with daily tasks, in their own home or in a care home.",
        "Her care worker comes at eight each morning.",
        ("support worker", "care assistant", "paid carer"),
    ),
    SeedTerm(
        "carer",
        "Someone who looks after a family member or friend who is ill, disabled or frail. They are not paid for it.",
        "As a carer, you have the right to your own assessment.",
        ("unpaid carer", "family carer", "informal carer"),
    ),
    SeedTerm(
        "young carer",
        "A child or young person under 18 who helps look after someone in their family.",
        "The school has a club for young carers.",
        ("young carers",),
    ),
    SeedTerm(
        "MDT",
        "A team of staff with different skills, such as nurses, doctors and therapists, who meet to plan someone's "
        "care.",
        "Your case will be talked about at the MDT on Thursday.",
        ("multidisciplinary team", "multi-disciplinary team"),
    ),
    # Care and support
    SeedTerm(
        "care plan",
        "A written plan of the care and support you will get. You should help write it and get a copy.",
        "Let's add that to your care plan.",
        ("support plan",),
    ),
    SeedTerm(
        "care package",
        "The mix of care and support set up for someone, such as visits from care workers at home each day.",
        "His care package is four visits a day.",
        ("package of care",),
    ),
    SeedTerm(
        "personal budget",
        "The money the council sets aside for your care and support. You can have a say in how it is spent.",
        "You can use your personal budget to pay for a day centre.",
        ("personal budgets",),
    ),
    SeedTerm(
        "direct payments",
        "Money from the council paid to you, so you can buy your own care and support rather than the council doing "
        "it.",
        "With direct payments she hires her own personal assistant.",
        ("direct payment",),
    ),
    SeedTerm(
        "personal health budget",
        "Money from the NHS to meet your health needs in a way that suits you. You agree a plan for how to spend it.",
        "His personal health budget pays for a carer he chose himself.",
        ("phb",),
    ),
    SeedTerm(
        "continuing healthcare",
        "Care fully paid for by the NHS for adults whose needs are mainly health needs, often long-term and complex.",
        "Mum was assessed for continuing healthcare before leaving hospital.",
        ("chc", "nhs continuing healthcare", "continuing health care"),
    ),
    SeedTerm(
        "needs assessment",
        "When the council looks at what help you need with daily life, to see if it can support you.",
        "Ask the council for a needs assessment.",
        ("care needs assessment", "social care assessment"),
    ),
    SeedTerm(
        "carer's assessment",
        "A chat with the council about how caring affects your life and what help you might need. "
        "Any unpaid carer can ask.",
        "My carer's assessment got me a break once a month.",
        ("carers assessment", "carer assessment"),
    ),
    SeedTerm(
        "financial assessment",
        "When the council looks at your income and savings to work out how much you pay towards your care.",
        "After the financial assessment, she pays £40 a week.",
        ("means test", "means testing", "means-tested"),
    ),
    SeedTerm(
        "self-funder",
        "Someone who pays for all their own care, often because their savings are over the council's limit.",
        "Self-funders often get little advice about choosing a care home.",
        ("self funder", "self-funders"),
    ),
    SeedTerm(
        "Care Act",
        "The 2014 law that sets out what councils must do to support adults who need care, and their carers.",
        "Under the Care Act, carers have a right to an assessment.",
        ("care act 2014",),
    ),
    SeedTerm(
        "domiciliary care",
        "Care workers who visit you at home to help with things like washing, dressing and meals.",
        "There are not enough domiciliary care workers in rural areas.",
        ("home care", "domcare"),
    ),
    SeedTerm(
        "respite care",
        "A short break for an unpaid carer, while someone else looks after the person they care for.",
        "Respite care gave me a week away to rest.",
        ("respite", "short break", "short breaks"),
    ),
    SeedTerm(
        "care home",
        "A place where people live and get help with daily life. A nursing home also has nurses on duty.",
        "She moved into a care home near her daughter.",
        ("residential home", "nursing home", "residential care"),
    ),
    SeedTerm(
        "long-term condition",
        "A health problem that cannot be cured but can be kept in check, such as diabetes or asthma.",
        "Many people with a long-term condition see lots of different teams.",
        ("ltc", "long term condition", "chronic condition"),
    ),
    SeedTerm(
        "frailty",
        "When the body gets weaker, often with age, so a small illness or fall can have a big effect.",
        "The frailty team checks older people who come into A&E.",
    ),
    SeedTerm(
        "social prescribing",
        "Your GP or another worker puts you in touch with local help, such as walking groups, advice or clubs.",
        "Social prescribing helped me find a gardening group.",
        ("social prescriber", "social prescription"),
    ),
    SeedTerm(
        "personalised care",
        "Care built around what matters to you, your strengths and your needs, not just your illness.",
        "Personalised care starts with asking what matters to you.",
        ("personalized care", "person-centred care", "person centred care"),
    ),
    SeedTerm(
        "shared decision making",
        "When you and your doctor or nurse choose your care together, weighing up the options and what matters to you.",
        "Shared decision making means you have a real say.",
        ("shared decision-making", "sdm"),
    ),
    SeedTerm(
        "palliative care",
        "Care that eases pain and makes life as good as it can be for someone with an illness that cannot be cured.",
        "The palliative care team helped Dad stay at home.",
        ("palliative",),
    ),
    SeedTerm(
        "end of life care",
        "Support for people in the last months or years of their life, and for the people close to them.",
        "We are looking at end of life care in care homes.",
        ("end-of-life care", "eolc"),
    ),
    SeedTerm(
        "hospice",
        "A place that gives care and support to people near the end of life and their families. "
        "Many also visit people at home.",
        "The hospice nurses visited us every day.",
        ("hospices",),
    ),
    SeedTerm(
        "EHCP",
        "A legal plan for a child or young person up to 25 with special needs. It sets out the help they must get.",
        "Our son's EHCP includes speech therapy.",
        ("education, health and care plan", "ehc plan", "education health and care plan"),
    ),
    # Rights, safety and the law
    SeedTerm(
        "safeguarding",
        "Keeping children and adults safe from harm, abuse or neglect. "
        "If you are worried about someone, tell staff straight away.",
        "If you are worried, tell the safeguarding lead today.",
        ("safeguarding concern", "adult safeguarding"),
    ),
    SeedTerm(
        "Mental Capacity Act",
        "A law about choices for people who cannot make a certain choice for themselves at that time. "
        "It starts by assuming they can.",
        "Under the Mental Capacity Act, we must assume she can decide.",
        ("mca", "mental capacity"),
    ),
    SeedTerm(
        "best interests",
        "When someone cannot decide for themselves, others must choose what is best for them, with their wishes in "
        "mind.",
        "The team held a best interests meeting with the family.",
        ("best interests decision", "best interest"),
    ),
    SeedTerm(
        "Mental Health Act",
        "The law that says when people can be kept in hospital for mental health care, even if they do not agree.",
        "He was kept in hospital under the Mental Health Act.",
        ("mha", "sectioned", "sectioning"),
    ),
    SeedTerm(
        "DoLS",
        "Legal checks when a person who cannot decide for themselves must be kept in a care home or hospital to keep "
        "them safe.",
        "The care home has applied for a DoLS for Mr Jones.",
        ("deprivation of liberty safeguards",),
    ),
    SeedTerm(
        "lasting power of attorney",
        "A legal paper that lets someone you trust make choices for you if you cannot make them yourself in the "
        "future.",
        "Mum gave me lasting power of attorney for her health.",
        ("lpa", "power of attorney"),
    ),
    SeedTerm(
        "advance care plan",
        "A record of your wishes for future care, in case you become too ill to say. "
        "You write it with staff and family.",
        "We made an advance care plan with the GP.",
        ("acp", "advance care planning"),
    ),
    SeedTerm(
        "DNACPR",
        "A choice, written in your notes, that staff should not try to restart your heart if it stops.",
        "The DNACPR form was talked through with the family.",
        ("do not attempt cardiopulmonary resuscitation", "dnr", "do not resuscitate"),
    ),
    SeedTerm(
        "ReSPECT form",
        "A form that sets out your wishes for care in an emergency. You write it with your doctor or nurse.",
        "The paramedics asked if she had a ReSPECT form.",
        ("recommended summary plan for emergency care and treatment", "respect process"),
    ),
    SeedTerm(
        "duty of candour",
        "A legal duty for teams to be open and honest with you when something goes wrong with your care, and to say "
        "sorry.",
        "Under the duty of candour, the hospital wrote to us to explain.",
        ("candour",),
    ),
    SeedTerm(
        "advocacy",
        "Help from someone independent to have your say, know your rights and be heard. An advocate is on your side.",
        "An advocate came to the meeting with him.",
        ("advocate", "independent advocate"),
    ),
    SeedTerm(
        "Accessible Information Standard",
        "A legal rule that the NHS and social care must give disabled people letters and leaflets they can read, such "
        "as large print.",
        "Under the Accessible Information Standard, I should get my letters in large print.",
        ("ais", "accessible information"),
    ),
    SeedTerm(
        "reasonable adjustments",
        "Changes that must be made so disabled people are not left out. For example, a longer visit or a quiet room.",
        "We asked for reasonable adjustments, like a quiet waiting area.",
        ("reasonable adjustment",),
    ),
    SeedTerm(
        "protected characteristics",
        "Nine things, such as age, race, sex, faith and being disabled. "
        "The Equality Act 2010 says no one may be treated unfairly for them.",
        "The survey asks about protected characteristics, but you can skip those questions.",
        ("protected characteristic", "equality act"),
    ),
    SeedTerm(
        "confidentiality",
        "Keeping private things private. What you hear about people in a meeting should not be shared outside it.",
        "Please keep the case stories confidential.",
    ),
    SeedTerm(
        "data protection",
        "The rules for how personal details are gathered, kept safe and used. In the UK this includes UK GDPR.",
        "For data protection reasons, we will not share your email.",
        ("gdpr", "uk gdpr"),
    ),
    SeedTerm(
        "complaint",
        "Telling a service, formally, that you are unhappy with your care. They must look into it and reply.",
        "I made a complaint about how Dad was treated.",
        ("complaints", "formal complaint"),
    ),
    SeedTerm(
        "PSIRF",
        "The NHS way of responding when things go wrong in care. The focus is on learning and support, not blame.",
        "Under PSIRF, the team met the family to learn what happened.",
        ("patient safety incident response framework", "serious incident"),
    ),
    SeedTerm(
        "clinical governance",
        "The ways an NHS team keeps care safe and good, and keeps making it better. "
        "Staff check and learn from mistakes.",
        "The report will go to the clinical governance meeting.",
    ),
    # Fairness and need
    SeedTerm(
        "health inequalities",
        "Unfair gaps in health between groups that could be put right. "
        "For example, people in poor areas tend to die younger.",
        "Health inequalities mean people in some streets die ten years sooner.",
        ("health inequality",),
    ),
    SeedTerm(
        "Core20PLUS5",
        "An NHS plan to close health gaps. "
        "It focuses on the poorest 20% of areas, other groups chosen locally, and five health areas.",
        "Our project is part of the Core20PLUS5 work.",
        ("core 20 plus 5",),
    ),
    SeedTerm(
        "IMD",
        "A way to rank areas of England from most to least poor, using things like income, jobs and housing.",
        "This ward is in the top ten per cent on the IMD.",
        ("index of multiple deprivation", "deprivation index"),
    ),
    SeedTerm(
        "JSNA",
        "A report by the council and NHS on the health and care needs of people in an area, now and in the future.",
        "The JSNA shows more older people living alone.",
        ("joint strategic needs assessment",),
    ),
    SeedTerm(
        "equality impact assessment",
        "A check on whether a plan or change could be unfair to some groups of people, and how to put that right.",
        "Has this plan had an equality impact assessment?",
        ("eia", "eqia"),
    ),
    SeedTerm(
        "easy read",
        "Text in short, plain words and sentences, with pictures. It helps more people read and follow it.",
        "Can we have the survey in easy read?",
        ("easy-read",),
    ),
    SeedTerm(
        "jargon",
        "Words that make sense to people in a job but not to others. You can always ask what they mean.",
        "Please stop me if I use jargon.",
    ),
    # Working together
    SeedTerm(
        "co-production",
        "Working as equal partners with people who use services to plan and run them. "
        "What everyone knows counts the same.",
        "This project was a real co-production from day one.",
        ("coproduction", "co-produce", "coproduce", "co-produced"),
    ),
    SeedTerm(
        "co-design",
        "Designing a service together with the people who will use it, right from the start.",
        "We will co-design the new leaflet with parents.",
        ("codesign", "co-designed"),
    ),
    SeedTerm(
        "lay partner",
        "A patient, carer or member of the public who works with staff to shape care. "
        "You bring your life, not a job title.",
        "Every panel has at least two lay partners.",
        ("lay member", "public partner", "lay representative"),
    ),
    SeedTerm(
        "lived experience",
        "What you know from living through something yourself, such as an illness, caring or using a service.",
        "We need people with lived experience of dementia on the group.",
        ("lived experience partner",),
    ),
    SeedTerm(
        "expert by experience",
        "Someone who uses or has used a service, or cares for someone who does, and shares what they know to make it "
        "better.",
        "An expert by experience joined the CQC visit.",
        ("experts by experience", "ebe"),
    ),
    SeedTerm(
        "PPG",
        "A group of patients who meet their GP practice to share views and help make things better. "
        "Every practice should have one.",
        "Our PPG helped change the phone booking system.",
        ("patient participation group",),
    ),
    SeedTerm(
        "stakeholder",
        "Anyone with an interest in a service or choice, such as patients, carers, staff or local groups.",
        "We will share the draft with all stakeholders.",
        ("stakeholders",),
    ),
    SeedTerm(
        "patient experience",
        "What it is like to get care, as told by patients and families. "
        "It covers how you were treated, not just results.",
        "The patient experience team reads every comment.",
        ("experience of care",),
    ),
    SeedTerm(
        "engagement",
        "Talking and listening to people about care, so their views shape plans. "
        "It is less formal than a consultation.",
        "The engagement events will be held in libraries.",
        ("public engagement", "patient engagement"),
    ),
    SeedTerm(
        "consultation",
        "When the NHS or council asks the public for views on a plan before it makes a final choice. "
        "Big changes often need one.",
        "The consultation on the new hospital closes in June.",
        ("public consultation",),
    ),
    SeedTerm(
        "involvement payment",
        "Money paid to thank lay partners for their time, on top of expenses. "
        "Check first how it might affect any benefits.",
        "You can choose to take an involvement payment or not.",
        ("involvement payments", "payment for involvement"),
    ),
    SeedTerm(
        "expenses",
        "Costs you pay to take part, such as bus fares or parking, which are paid back to you.",
        "Keep your bus tickets so we can pay your expenses.",
        ("out-of-pocket expenses", "travel expenses"),
    ),
    SeedTerm(
        "you said, we did",
        "A way to show people what changed because of their views. It lists what they said and what was done.",
        "The you said, we did poster is in the waiting room.",
        ("you said we did",),
    ),
    SeedTerm(
        "FFT",
        "A short question asking if your care was good overall, with space for comments. Most NHS care uses it.",
        "The ward's FFT score went up this month.",
        ("friends and family test",),
    ),
    SeedTerm(
        "PROMs",
        "Short surveys asking patients how their health feels before and after treatment, in their own words.",
        "PROMs show most people walk better after a new knee.",
        ("patient reported outcome measures", "patient-reported outcome measures"),
    ),
    SeedTerm(
        "PREMs",
        "Surveys asking patients what their care was like, such as waiting times and how staff treated them.",
        "The PREMs showed people felt rushed.",
        ("patient reported experience measures", "patient-reported experience measures"),
    ),
    SeedTerm(
        "KPI",
        "A number used to check how well something is going, such as how long people wait.",
        "One KPI is how many calls are answered in a minute.",
        ("key performance indicator", "key performance indicators"),
    ),
    SeedTerm(
        "QOF",
        "A scheme that pays GP practices extra for good care, such as checking blood pressure. People say it as kwoff.",
        "The practice hit all its QOF targets this year.",
        ("quality and outcomes framework",),
    ),
    SeedTerm(
        "outcome",
        "The result that matters for a person, such as feeling better or living at home, not just what was done.",
        "The main outcome we want is fewer falls.",
        ("outcomes",),
    ),
    SeedTerm(
        "audit",
        "A check of care against an agreed standard, to see what is done well and what needs to change.",
        "The audit found half of patients got the leaflet.",
        ("clinical audit",),
    ),
    SeedTerm(
        "evaluation",
        "Looking closely at a project to find out if it worked, for whom, and why.",
        "The evaluation will ask patients what they thought.",
        ("evaluations",),
    ),
    SeedTerm(
        "pilot",
        "A small trial of a new idea, to test it before it is used more widely.",
        "The pilot runs in two practices until March.",
        ("pilot scheme", "pilot project"),
    ),
    SeedTerm(
        "quality improvement",
        "Making care better in small, steady steps. You test ideas, check the results and learn as you go.",
        "The ward used quality improvement to cut falls.",
        ("qi",),
    ),
    SeedTerm(
        "PDSA",
        "A way to test a change: plan it, do it, study what happened, then act on what you learned.",
        "We ran three PDSA cycles on the new letter.",
        ("plan do study act", "pdsa cycle"),
    ),
    SeedTerm(
        "business case",
        "A paper that sets out why a change is needed, what it will cost and what good it will do.",
        "The business case for the new clinic goes to the board in June.",
        ("business cases",),
    ),
    # Meetings
    SeedTerm(
        "agenda",
        "The list of topics a meeting will cover, in order. It is usually sent out before the meeting.",
        "Please send items for the agenda by Friday.",
        ("agendas",),
    ),
    SeedTerm(
        "minutes",
        "The written record of a meeting: who came, what was said and what was agreed.",
        "The minutes of the last meeting were agreed.",
    ),
    SeedTerm(
        "AOB",
        "Any other business. Time at the end of a meeting for items that are not on the agenda.",
        "Is there any AOB before we close?",
        ("any other business",),
    ),
    SeedTerm(
        "matters arising",
        "Part of a meeting to follow up points from the last meeting's minutes.",
        "Under matters arising, the leaflet has now been printed.",
        ("matters arising from the minutes",),
    ),
    SeedTerm(
        "apologies",
        "A note that you cannot come to a meeting. The minutes list who sent apologies.",
        "Apologies were received from Sam and Priya.",
        ("apologies for absence", "send apologies"),
    ),
    SeedTerm(
        "action log",
        "A list of tasks agreed at meetings, who will do each one, and by when.",
        "Let's check the action log before we start.",
        ("action tracker", "actions log"),
    ),
    SeedTerm(
        "quorum",
        "The least number of members who must be there for a meeting to make decisions.",
        "We are not quorate today, so we cannot vote.",
        ("quorate", "inquorate"),
    ),
    SeedTerm(
        "terms of reference",
        "A short paper that sets out what a group is for, who is in it and how it works.",
        "The terms of reference say we meet every two months.",
        ("tor",),
    ),
    SeedTerm(
        "chair",
        "The person who runs a meeting, keeps it on track and makes sure everyone gets a say.",
        "The chair asked to hear from those who had not yet spoken.",
        ("chairperson", "chairman", "chairwoman"),
    ),
    SeedTerm(
        "co-chair",
        "One of two people who run a group together. Often one is a lay partner and one is a member of staff.",
        "Our co-chairs are a carer and a GP.",
        ("co-chairs", "cochair"),
    ),
    SeedTerm(
        "conflict of interest",
        "When something in your own life, such as a job or money, could sway a choice you help make. "
        "You should say so.",
        "I should declare a conflict of interest: my sister works there.",
        ("declaration of interest", "declare an interest", "declarations of interest"),
    ),
    SeedTerm(
        "working group",
        "A small group set up to work on one topic and report back to a larger group.",
        "A working group will draft the new leaflet.",
        ("sub-group", "subgroup"),
    ),
    SeedTerm(
        "task and finish group",
        "A group set up for one job, for a short time. It ends once the job is done.",
        "The task and finish group will report back in March.",
        ("task and finish", "t&f group"),
    ),
    SeedTerm(
        "steering group",
        "A group that guides a project, makes key choices and checks it stays on track.",
        "The steering group meets once a month.",
        ("steering committee", "project board"),
    ),
    SeedTerm(
        "hybrid meeting",
        "A meeting where some people are in the room and others join online.",
        "The next meeting is hybrid, so you can join from home.",
    ),
)
