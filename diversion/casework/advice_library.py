"""The starting advice library every scheme gets (version 1 of each entry). The provider
manager edits it from there; each edit is a new version, and plans keep the version they used.

Plain English, second person, in the spirit of the harm-reduction advice in the source documents
("all drugs, alcohol, health, mental health, risks such as mixing"). `message_text` is what the
person's summary says: short, and safe to be read over their shoulder.
"""

from __future__ import annotations

# key: (title, triggers, body, message_text)
STARTING_LIBRARY: dict[str, tuple[str, list[str], str, str]] = {
    "mixing-depressants": (
        "Mixing depressants",
        ["mix:depressants", "drug:benzodiazepines", "drug:opioids"],
        "Alcohol, heroin and other opioids, benzodiazepines (such as street diazepam or "
        "alprazolam) and ketamine all slow your breathing. Taken together, each makes the others "
        "stronger, and most fatal overdoses involve more than one of them. If you do mix, take "
        "less of each, leave more time between doses, never use alone, and make sure someone "
        "with you knows how to put you in the recovery position and call 999.",
        "Mixing things that slow your breathing is where most serious harm happens: use less, "
        "leave time between, and don't be alone.",
    ),
    "opioids-and-naloxone": (
        "Heroin, other opioids and naloxone",
        ["drug:opioids", "overdose:ever", "injecting:current", "injecting:past"],
        "Naloxone reverses an opioid overdose for long enough for an ambulance to arrive. "
        "We can give you a free kit (a nasal spray or an injection) and show you how to use it; "
        "keep it where people you use with can find it. Your tolerance drops within days of "
        "stopping or cutting down, after prison or hospital, so a usual amount can then kill. "
        "Signs of overdose: pinned pupils, blue lips, snoring or gurgling, no response.",
        "Keep your free naloxone kit with you and tell the people around you where it is.",
    ),
    "cannabis-and-mental-health": (
        "Cannabis and mental health",
        ["drug:cannabis", "drug:synthetic_cannabinoids"],
        "Strong cannabis (high in THC, low in CBD, like most street 'skunk') is linked to "
        "anxiety, paranoia and, for some people, psychosis, especially when used every day or "
        "started young. Choose smaller amounts, take breaks (even two days a week helps sleep "
        "and mood), avoid mixing with tobacco where you can, and don't drive for at least a "
        "few hours after using. Synthetic cannabinoids ('spice') are far stronger and less "
        "predictable than cannabis.",
        "Take regular breaks, use less on each occasion, and talk to someone if your mood or "
        "sleep changes.",
    ),
    "cannabis-cutting-down": (
        "Cutting down on daily cannabis",
        ["daily:cannabis"],
        "Cutting down gradually is easier than stopping at once: set days without, use later "
        "in the day, and buy less at a time. Poor sleep, irritability and low appetite in the "
        "first week or two are normal and pass. We can help you plan it.",
        "Plan a few days without each week; the first week is the hardest and it gets easier.",
    ),
    "cocaine-and-alcohol": (
        "Cocaine and alcohol",
        ["mix:cocaine_alcohol", "drug:cocaine", "drug:crack"],
        "Cocaine with alcohol makes a third substance in your liver, cocaethylene, which is "
        "harder on your heart than either alone and lasts longer. It also makes you feel less "
        "drunk than you are, so people drink more. Pace yourself, drink water, and know the "
        "warning signs: chest pain, a racing heart, or a severe headache mean call 999.",
        "Mixing the two is harder on your heart than either: pace yourself and drink water.",
    ),
    "crack-cocaine": (
        "Crack cocaine",
        ["drug:crack", "daily:crack"],
        "Crack is short-acting, so the urge to use again comes quickly. Use your own pipe "
        "(shared pipes spread hepatitis C through cracked lips), let it cool, and eat and sleep "
        "between sessions. Treatment services can help with cravings and there is no waiting "
        "list for a first conversation.",
        "Use your own kit, eat and sleep between sessions, and ask us about support with cravings.",
    ),
    "injecting-safely": (
        "Injecting more safely",
        ["route:injected", "injecting:current", "injecting:past", "sharing"],
        "Use new equipment every time (needle and syringe, spoon, filter and water) from a "
        "needle exchange or pharmacy, and never share any of it. Rotate sites, avoid the neck "
        "and groin, and get any redness, heat or swelling checked quickly. Ask about free "
        "testing and vaccination for hepatitis B and C and HIV.",
        "Always use new, unshared kit from a needle exchange, and ask about free health checks.",
    ),
    "nitrous-oxide": (
        "Nitrous oxide",
        ["drug:nitrous_oxide", "route:inhaled"],
        "Breathing nitrous oxide straight from a cylinder or in large amounts can freeze your "
        "airways and starve you of oxygen. Heavy, regular use uses up vitamin B12 and can damage "
        "the nerves in your spine: tingling or numbness in your hands or feet, or trouble "
        "walking, need a doctor straight away. Sit down when using and never use it in a car.",
        "Numbness or tingling in your hands or feet needs a doctor straight away; never drive.",
    ),
    "ketamine-and-bladder": (
        "Ketamine",
        ["drug:ketamine", "daily:ketamine"],
        "Ketamine can leave you unable to move or feel pain, so use it with people you trust "
        "and somewhere safe. Regular use damages the bladder: pain when passing urine, needing "
        "to go often, or blood in your urine all mean see a doctor and cut down.",
        "Use with people you trust, and see a doctor about any pain when you pass urine.",
    ),
    "mdma": (
        "MDMA and ecstasy",
        ["drug:mdma", "drug:amphetamine"],
        "Pills and powder vary a lot in strength. Start with a small amount and wait at least "
        "two hours before taking more. Take breaks from dancing, sip about a pint of water an "
        "hour (not more), and don't mix with alcohol or other stimulants.",
        "Start small, wait before taking more, take breaks and sip water.",
    ),
    "novel-substances": (
        "New and unknown substances",
        ["drug:novel", "drug:other", "drug:synthetic_cannabinoids"],
        "You can't know what is in a new or unknown substance or how strong it is. Try a tiny "
        "amount first, never use alone, and avoid mixing. Drug-checking services can test "
        "what you have.",
        "Try a tiny amount first and never use alone.",
    ),
    "alcohol-cutting-down": (
        "Cutting down on alcohol",
        [
            "alcohol:audit_c_positive",
            "alcohol:increasing",
            "alcohol:higher",
            "alcohol:dependence",
        ],
        "The UK low-risk guideline is no more than 14 units a week, spread over three or more "
        "days, with some days without alcohol. Count your units for a week, swap some drinks "
        "for lower-strength ones, and plan alcohol-free days. If you drink every day and get "
        "shaky or sweaty without a drink, don't stop suddenly: talk to us or your GP first, as "
        "stopping at once can be dangerous.",
        "Aim for a few days a week without a drink; if you feel shaky without one, talk to "
        "your GP before stopping.",
    ),
    "mental-health-support": (
        "Looking after your mental health",
        ["mental_health"],
        "Drugs and alcohol can make low mood and anxiety worse, even when they seem to help at "
        "first. Your GP can refer you to talking therapies, or you can refer yourself through "
        "NHS Talking Therapies. If you feel you might harm yourself, call 111 (option 2 for "
        "mental health) or Samaritans free on 116 123 at any time.",
        "You can refer yourself to NHS Talking Therapies, and Samaritans are free on 116 123.",
    ),
    "staying-safer": (
        "Staying safer",
        ["always"],
        "Whatever you use: start low and go slow, don't use alone, don't mix, and know what to "
        "do in an emergency (recovery position, call 999 and say what was taken; the ambulance "
        "service does not involve the police in a medical emergency).",
        "Start low, go slow, don't use alone, and call 999 in an emergency.",
    ),
}
