package translit

// The German tables follow the Duden transcription of Russian (DIN 1460's German
// press form: ж sch, ч tsch, ш sch, щ schtsch, в w, з s, й j/i, х ch, ц z, я ja),
// the German Wikipedia's transcriptions of Ukrainian, Belarusian, Armenian and
// Georgian (г h in Ukrainian and Belarusian, ў u, Armenian ե je and ո wo at the
// start of a word, ս/ს doubled between vowels where German would voice it), and, for
// names given only in a Latin romanisation, the inverse of the romanisations GeoNames
// uses: BGN/PCGN for Russian, Armenian, Georgian, Kazakh, Kyrgyz and Tajik names, the
// Ukrainian national system (KMU 2010), and the official Azerbaijani, Uzbek and
// Turkmen Latin alphabets.

var (
	deRU = newTable("de-ru", "Russian Cyrillic, Duden transcription (DIN 1460 press form)", true,
		"аеёиоуыэюя", "ьъ", []rule{
			r("а", "a", always), r("б", "b", always), r("в", "w", always), r("г", "g", always), r("д", "d", always),
			r("е", "je", iotated), r("е", "e", always),
			r("ё", "o", after("жчшщ")), r("ё", "jo", always),
			r("ж", "sch", always), r("з", "s", always),
			r("ий", "i", wordEnd), r("ый", "y", wordEnd),
			r("и", "ji", afterSign), r("и", "i", always),
			r("й", "j", beforeVowel), r("й", "i|j", afterVowelNotBefore), r("й", "j", always),
			r("кс", "ks|x", after("е")), r("к", "k", always), // Alexandrow, but Aksai
			r("л", "l", always), r("м", "m", always), r("н", "n", always), r("о", "o", always),
			r("п", "p", always), r("р", "r", always),
			r("с", "ss", betweenVowels), r("с", "s", always),
			r("т", "t", always), r("у", "u", always), r("ф", "f", always), r("х", "ch", always),
			r("ц", "z", always), r("ч", "tsch", always), r("ш", "sch", always), r("щ", "schtsch", always),
			r("ъ", "", always), r("ы", "y", always), r("ьо", "jo", always), r("ь", "", always),
			r("э", "e", always), r("ю", "ju", always), r("я", "ja", always),
		})

	deUK = newTable("de-uk", "Ukrainian Cyrillic, German Wikipedia/Duden transcription", true,
		"аеєиіїоуюя", "ь", []rule{
			r("а", "a", always), r("б", "b", always), r("в", "w", always), r("г", "h", always), r("ґ", "g", always),
			r("дж", "dsch", always), r("дз", "ds", always), r("д", "d", always),
			r("е", "e", always), r("є", "je", always), r("ж", "sch", always), r("з", "s", always),
			r("и", "y", always), r("і", "i", always), r("ї", "ji", always),
			r("й", "j", beforeVowel), r("й", "j|i", afterVowelNotBefore), r("й", "j", always),
			r("к", "k", always), r("л", "l", always), r("м", "m", always), r("н", "n", always),
			r("о", "o", always), r("п", "p", always), r("р", "r", always),
			r("с", "ss", betweenVowels), r("с", "s", always),
			r("т", "t", always), r("у", "u", always), r("ф", "f", always), r("х", "ch", always),
			r("ц", "z", always), r("ч", "tsch", always), r("ш", "sch", always), r("щ", "schtsch", always),
			r("ьо", "jo", always), r("ь", "", always), r("ю", "ju", always), r("я", "ja", always),
		})

	deBE = newTable("de-be", "Belarusian Cyrillic, German Wikipedia transcription", true,
		"аеёіоуыэюя", "ьў", []rule{
			r("а", "a", always), r("б", "b", always), r("в", "w", always), r("г", "h", always), r("ґ", "g", always),
			r("дж", "dsch", always), r("дз", "ds", always), r("д", "d", always),
			r("е", "je", iotated), r("е", "e", always),
			r("ё", "o", after("жчш")), r("ё", "jo", always),
			r("ж", "sch", always), r("з", "s", always), r("і", "i", always),
			r("й", "j", beforeVowel), r("й", "j|i", afterVowelNotBefore), r("й", "j", always),
			r("к", "k", always), r("л", "l", always), r("м", "m", always), r("н", "n", always),
			r("о", "o", always), r("п", "p", always), r("р", "r", always),
			r("с", "ss", betweenVowels), r("с", "s", always),
			r("т", "t", always), r("у", "u", always), r("ў", "u", always), r("ф", "f", always),
			r("х", "ch", always), r("ц", "z", always), r("ч", "tsch", always), r("ш", "sch", always),
			r("ы", "y", always), r("ь", "", always), r("э", "e", always), r("ю", "ju", always), r("я", "ja", always),
		})

	deHY = newTable("de-hy", "Armenian (Eastern), German Wikipedia transcription", true,
		"աեէըիոօւ", "", []rule{
			r("ա", "a", always), r("բ", "b", always), r("գ", "g", always), r("դ", "d", always),
			r("ե", "je", wordStart), r("ե", "e", always),
			r("զ", "s", always), r("է", "e", always), r("ը", "e", always), r("թ", "t", always),
			r("ժ", "sch", always), r("ի", "i", always), r("լ", "l", always), r("խ", "ch", always),
			r("ծ", "z", always), r("կ", "k", always), r("հ", "h", always), r("ձ", "ds", always),
			r("ղ", "gh", always), r("ճ", "tsch", always), r("մ", "m", always), r("յ", "j", always),
			r("ն", "n", always), r("շ", "sch", always),
			r("ու", "u", always), r("ո", "wo", wordStart), r("ո", "o", always),
			r("չ", "tsch", always), r("պ", "p", always), r("ջ", "dsch", always), r("ռ", "r", always),
			r("ս", "s|ss", betweenVowels), r("ս", "s", always), r("վ", "w", always), r("տ", "t", always), r("ր", "r", always),
			r("ց", "z", always), r("ւ", "w", always), r("փ", "p", always), r("ք", "k", always),
			r("և", "jew", wordStart), r("և", "ew", always), r("օ", "o", always), r("ֆ", "f", always),
		})

	deKA = newTable("de-ka", "Georgian, German Wikipedia transcription", true,
		"აეიოუ", "", []rule{
			r("ა", "a", always), r("ბ", "b", always), r("გ", "g", always), r("დ", "d", always),
			r("ე", "e", always), r("ვ", "w", always), r("ზ", "s", always), r("თ", "t", always),
			r("ი", "i", always), r("კ", "k", always), r("ლ", "l", always), r("მ", "m", always),
			r("ნ", "n", always), r("ო", "o", always), r("პ", "p", always), r("ჟ", "sch", always),
			r("რ", "r", always), r("ს", "ss", betweenVowels), r("ს", "s", always),
			r("ტ", "t", always), r("უ", "u", always), r("ფ", "p", always), r("ქ", "k", always),
			r("ღ", "gh", always), r("ყ", "k", always), r("შ", "sch", always), r("ჩ", "tsch", always),
			r("ც", "z", always), r("ძ", "ds", always), r("წ", "z", always), r("ჭ", "tsch", always),
			r("ხ", "ch", always), r("ჯ", "dsch", always), r("ჰ", "h", always),
		})

	// bgnRules respell a BGN/PCGN romanisation (the English names of GeoNames).
	bgnRules = []rule{
		r("shch", "schtsch", always), r("sh", "sch", always), r("zh", "sch", always),
		r("ch", "tsch", always), r("kh", "ch", always),
		r("tskh", "zch", always), r("ts", "z", notBeforeK), // Chernivtsi → Tscherniwzi, but Bratsk (т+с)
		r("dzh", "dsch", always), r("dz", "ds", always), r("j", "dsch", always),
		r("iy", "i", wordEnd), r("yy", "y", wordEnd),
		r("y", "j", beforeVowel), r("y", "i|j", afterVowelNotBefore),
		r("v", "w", always), r("z", "s", always), r("s", "ss|s", betweenVowels),
		r("q", "k", always), r("ë", "jo", always),
	}

	deBGN = newTable("de-bgn", "English (BGN/PCGN) romanisation of Russian, Armenian, Georgian, Kazakh, Kyrgyz, Tajik names", false,
		"aeiouáéíóúöüəı", "", bgnRules)

	deUKLatn = newTable("de-uk-latn", "Ukrainian national romanisation (KMU 2010)", false,
		"aeiouáéíóú", "", append([]rule{
			r("ia", "ja|ia", always), r("ie", "je|ie", always), r("iu", "ju|iu", always),
			r("yi", "yj|yi", wordEnd), r("yi", "yji|yi", always),
		}, bgnRules...))

	deAZ = newTable("de-az", "Azerbaijani Latin alphabet (and English spellings of Azerbaijani names)", false,
		"aeəıioöuü", "", []rule{
			r("sh", "sch", always), r("ch", "tsch", always), r("zh", "sch", always), r("kh", "ch", always), r("gh", "g", always),
			r("c", "dsch", always), r("ç", "tsch", always), r("ş", "sch", always), r("x", "ch", always),
			r("q", "g", always), r("ğ", "g", always), r("ə", "a", always), r("ı", "i", always), r("j", "dsch", always),
			r("y", "j", always), r("v", "w", always), r("z", "s", always), r("s", "ss|s", betweenVowels),
		})

	deUZ = newTable("de-uz", "Uzbek Latin alphabet", false,
		"aeiou", "", []rule{
			r("sh", "sch", always), r("ch", "tsch", always), r("zh", "sch", always), r("kh", "ch", always),
			r("ts", "z", notBeforeK), r("j", "dsch", always), r("x", "ch", always), r("q", "k", always),
			r("y", "j", beforeVowel), r("y", "i|j", afterVowelNotBefore),
			r("v", "w", always), r("z", "s", always), r("s", "ss|s", betweenVowels),
		})

	deTK = newTable("de-tk", "Turkmen Latin alphabet (and English spellings of Turkmen names)", false,
		"aeäiıoöuüy", "", []rule{
			r("sh", "sch", always), r("ch", "tsch", always), r("zh", "sch", always), r("kh", "ch", always),
			r("ş", "sch", always), r("ç", "tsch", always), r("ž", "sch", always), r("j", "dsch", always),
			r("ý", "j", always), r("ň", "n", always), r("y", "j|y", beforeVowel), r("y", "j|y", afterVowelNotBefore),
			r("v", "w", always), r("z", "s", always), r("s", "ss|s", betweenVowels),
		})
)

// The French tables follow the usual French press transcription of Russian and
// Ukrainian (ж j, ш ch, ч tch, щ chtch, х kh, ц ts, у ou, дж dj, я ia, ю iou, й and и
// after a vowel ï, с ss between vowels: Joukovski, Koutaïssi, Tchernihiv, Mykolaïv) and,
// for names given only in the English romanisation, its inverse (zh j, sh ch, ch tch,
// j dj, u ou: Djalal-Abad, Zougdidi).
var (
	frRU = newTable("fr-ru", "Russian Cyrillic, French press transcription", true,
		"аеёиоуыэюя", "ьъ", []rule{
			r("а", "a", always), r("б", "b", always), r("в", "v", always), r("г", "g", always),
			r("дж", "dj", always), r("д", "d", always),
			r("е", "ie", iotated), r("е", "e", always),
			r("ё", "o", after("жчшщ")), r("ё", "io", always),
			r("ж", "j", always), r("з", "z", always),
			r("ий", "i", wordEnd), r("ый", "y", wordEnd),
			r("и", "ï", afterVowel), r("и", "i", always),
			r("й", "ï", afterVowel), r("й", "i", always),
			r("кс", "ks|x", after("е")), r("к", "k", always),
			r("л", "l", always), r("м", "m", always), r("н", "n", always), r("о", "o", always),
			r("п", "p", always), r("р", "r", always),
			r("с", "ss", betweenVowels), r("с", "s", always),
			r("т", "t", always), r("у", "ou", always), r("ф", "f", always), r("х", "kh", always),
			r("ц", "ts", always), r("ч", "tch", always), r("ш", "ch", always), r("щ", "chtch", always),
			r("ъ", "", always), r("ы", "y", always), r("ь", "", always),
			r("э", "e", always), r("ю", "iou", always), r("я", "ia", always),
		})

	frUK = newTable("fr-uk", "Ukrainian Cyrillic, French press transcription", true,
		"аеєиіїоуюя", "ь", []rule{
			r("а", "a", always), r("б", "b", always), r("в", "v", always), r("г", "h", always), r("ґ", "g", always),
			r("дж", "dj", always), r("дз", "dz", always), r("д", "d", always),
			r("е", "e", always), r("є", "ie", always), r("ж", "j", always), r("з", "z", always),
			r("и", "y", always), r("і", "i", always), r("ї", "ï", always),
			r("й", "ï", afterVowel), r("й", "i", always),
			r("к", "k", always), r("л", "l", always), r("м", "m", always), r("н", "n", always),
			r("о", "o", always), r("п", "p", always), r("р", "r", always),
			r("с", "ss", betweenVowels), r("с", "s", always),
			r("т", "t", always), r("у", "ou", always), r("ф", "f", always), r("х", "kh", always),
			r("ц", "ts", always), r("ч", "tch", always), r("ш", "ch", always), r("щ", "chtch", always),
			r("ь", "", always), r("ю", "iou", always), r("я", "ia", always),
		})

	frBGN = newTable("fr-bgn", "English (BGN/PCGN, Ukrainian national) romanisation, respelt for French", false,
		"aeiouy", "", []rule{
			r("shch", "chtch", always), r("sh", "ch", always), r("zh", "j", always), r("ch", "tch", always),
			r("dzh", "dj", always), r("j", "dj", always), r("u", "ou", always),
			r("iy", "i", wordEnd), r("yy", "y", wordEnd), r("s", "ss|s", betweenVowels),
		})
)

// all lists every table, for ByName and the documentation.
var all = []*Table{deRU, deUK, deBE, deHY, deKA, deBGN, deUKLatn, deAZ, deUZ, deTK, frRU, frUK, frBGN}

// ByName returns the table with the given name ("de-ru"), or nil.
func ByName(name string) *Table {
	for _, t := range all {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// All returns every table.
func All() []*Table { return append([]*Table(nil), all...) }

// Countries are the ISO codes whose names are transliterated.
var Countries = []string{"AM", "AZ", "BY", "GE", "KG", "KZ", "MD", "RU", "TJ", "TM", "UA", "UZ"}

// Targets are the target languages that have tables.
var Targets = []string{"de", "fr"}

// marks are the letters that tell one Cyrillic language from the others a country's
// names are written in.
var marks = map[*Table]string{deRU: "ыэъё", deUK: "іїєґ", deBE: "іў", frRU: "ыэъё", frUK: "іїєґ"}

const allMarks = "ыэъёіїєґў"

// Tables returns the tables for the names of a country's places in the target
// language: latin respells the place's own (English or national Latin) name, native
// transliterates its alternate names in the country's scripts. Moldova's names are
// Romanian and are kept; its Russian names are transliterated.
func Tables(target, cc string) (latin *Table, native []*Table) {
	switch target {
	case "de":
		return tablesDE(cc)
	case "fr":
		return tablesFR(cc)
	}
	return nil, nil
}

func tablesFR(cc string) (latin *Table, native []*Table) {
	switch cc {
	case "UA":
		return frBGN, []*Table{frUK, frRU}
	case "AM", "GE", "RU", "BY", "KZ", "KG", "TJ":
		return frBGN, []*Table{frRU}
	case "AZ", "UZ", "TM", "MD":
		return nil, []*Table{frRU}
	}
	return nil, nil
}

func tablesDE(cc string) (latin *Table, native []*Table) {
	switch cc {
	case "AM":
		return deBGN, []*Table{deHY, deRU}
	case "GE":
		return deBGN, []*Table{deKA, deRU}
	case "AZ":
		return deAZ, []*Table{deRU}
	case "UA":
		return deUKLatn, []*Table{deUK, deRU}
	case "BY":
		return deBGN, []*Table{deBE, deRU}
	case "RU", "KZ", "KG", "TJ":
		return deBGN, []*Table{deRU}
	case "UZ":
		return deUZ, []*Table{deRU}
	case "TM":
		return deTK, []*Table{deRU}
	case "MD":
		return nil, []*Table{deRU}
	}
	return nil, nil
}
