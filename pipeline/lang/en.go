package lang

// English is English (en, en-GB, en-US …).
var English = &Language{
	Code:  "en",
	Code3: "eng",
	Name:  "English",
	Words: Words{
		Function: `
the a an this that these those there here it its they them their he she his her we us our
you your i me my of in on at by for with from to into onto over under about after before
between through during without within against among and or but nor so yet if then than as
because while when where which who whom whose what why how not no yes also only just even
is are was were be been being has have had do does did will would shall should can could
may might must all any both each every few many more most other some such one
however meanwhile moreover thus therefore still already today yesterday tomorrow now`,
		Titles: `
president prime minister chancellor secretary senator governor mayor mr mrs ms miss sir dame
king queen prince princess pope general gen sen rep gov lt col sgt capt spokesman
spokeswoman ambassador leader chief judge justice`,
		Locatives: `
near from to into at between via across outside inside north south east west
northeast northwest southeast southwest toward towards through around within in`,
		OrgHeads:      orgHeads,
		Divisions:     divisions,
		DivisionLinks: "of",
		Directions:    "north south east west northeast northwest southeast southwest",
		Towards:       "towards toward",
		SettlementNouns: `
city town village hamlet capital port suburb borough municipality`,
		Coordinators: "and or to",
	},
	Inflection: Inflection{Demonym: []string{"s"}, Plural: [][2]string{{"ies", "y"}, {"es", ""}, {"s", ""}}},
	Caps:       Capitalisation{Months: true, Weekdays: true, Dictionary: true, CommonWords: true},
	Since:      "since",
	Timex: Timex{
		Months: [12]string{"january", "february", "march", "april", "may", "june", "july", "august",
			"september", "october", "november", "december"},
		MonthsNeedContext: []int{3, 5, 6, 8},
		MonthAbbrevs:      [12]string{"jan", "feb", "mar", "apr", "", "jun", "jul", "aug", "sep sept", "oct", "nov", "dec"},
		Weekdays:          [7]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"},
		Weekend:           "weekend",
		PartsOfDay:        [6]string{"morning", "", "", "afternoon", "evening", "night tonight"},
		RelativeDays:      map[string]int{"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0},
		Numbers: [12]string{"a an one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
			"ten", "eleven", "twelve"},
		Units:           [4][2]string{{"day", "days"}, {"week", "weeks"}, {"month", "months"}, {"year", "years"}},
		Last:            "last past",
		This:            "this",
		Next:            "next coming",
		On:              "on",
		At:              "at around",
		In:              "in",
		Since:           "since",
		Until:           "until till by",
		From:            "from",
		During:          "during",
		YearIn:          "in",
		Articles:        "the",
		Of:              "of",
		Beginning:       "early",
		Middle:          "mid",
		End:             "late",
		BeginningOf:     "beginning start",
		MiddleOf:        "middle",
		EndOf:           "end",
		AgoAfter:        "ago",
		After:           "after",
		Before:          "before",
		Hedges:          "nearly almost about around roughly some exactly just over more than",
		Future:          "will ll shall going plans planned scheduled due expected",
		Past:            "was were had said did has have",
		Noon:            "noon midday",
		Midnight:        "midnight",
		OrdinalSuffixes: "th st nd rd",
		Records: `highest lowest largest biggest greatest worst best strongest weakest deadliest heaviest
longest warmest hottest coldest wettest driest fastest slowest first most least record`,
		Stop: `the a an and or but nor so yet was were is are be been being had has have do does did to of in on
		at for with by as that which who whom whose when while where it its he she they we i you there their
		his her our after before than then will would could should can may might must not also alone only
		already still again too this these those from into onto over under about against between through
		during since until amid compared versus vs per if because although though however`,
		NightFrom: "of",
		NightTo:   "to into",
		DayRange:  "to through",
		Anaphoric: map[string]int{"the next day": 1, "the following day": 1, "the previous day": -1},
		Holidays: map[string]string{"christmas": "12-25", "christmas day": "12-25", "christmas eve": "12-24",
			"boxing day": "12-26", "new year's eve": "12-31", "new year's day": "01-01",
			"good friday": "easter-2", "easter": "easter+0", "easter sunday": "easter+0", "easter monday": "easter+1"},
		HolidayPreps:         "over",
		MonthDay:             true,
		PastWithoutAuxiliary: true,
		TwelveHourClock:      true,
		ThisPartOfDay:        true,
		PeriodHyphen:         true,
		AttributiveOf:        true,
		AttributiveYear:      true,
	},
}
