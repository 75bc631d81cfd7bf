package recognize

import "strings"

// The word classes below are closed classes of German and English grammar (articles,
// pronouns, prepositions, conjunctions, auxiliaries, frequent adverbs) and the titles
// that precede personal names. They are general language knowledge, not lists of any
// article's words: a capitalised function word at the start of a sentence ("Die", "Aber",
// "Laut", "Auch") is never a place, whatever towns share its spelling.

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// functionWords are lower-cased German and English function words.
var functionWords = wordSet(`
der die das den dem des ein eine einer eines einem einen kein keine keiner keines keinem keinen
ich du er sie es wir ihr mich dich sich uns euch ihm ihn ihnen mir dir man jemand niemand
mein meine meiner meines meinem meinen dein deine sein seine seiner seines seinem seinen
ihre ihrer ihres ihrem ihren unser unsere unserer unseres unserem unseren euer eure
dieser diese dieses diesem diesen jener jene jenes jenem jenen welcher welche welches welchem welchen
jeder jede jedes jedem jeden alle aller allen alles allem beide beiden beider manche mancher einige
viele vielen wenige mehr weniger andere anderen anderer anderes anderem solche solcher solchen
und oder aber doch denn sondern sowie als wie wenn weil dass daß ob obwohl während bevor nachdem
damit sodass seit seitdem bis falls sobald solange indem zumal trotzdem dennoch jedoch also
an am auf aus bei beim durch für gegen hinter in im ins mit nach neben ohne über um unter vor
vom von zu zum zur zwischen wegen trotz laut gemäß entlang innerhalb außerhalb ab samt statt
nicht nur auch noch schon sehr so nun jetzt hier dort da dann heute gestern morgen immer nie
wieder bereits etwa rund fast kaum gar ganz eben erst gerade ja nein vielleicht wohl sogar
ist sind war waren wird werden wurde wurden sei seien wäre wären hat haben hatte hatten habe
kann können konnte konnten muss müssen musste soll sollen sollte sollten will wollen wollte
darf dürfen mag mögen möchte es gibt gab
was wer wo wohin woher wann warum wieso weshalb wem wen wessen
dabei dafür dagegen daher damals danach daneben darauf darum davon davor dazu deshalb deswegen
zudem zugleich außerdem insgesamt schließlich eigentlich derweil gleichzeitig inzwischen
zunächst zuerst später bisher besonders insbesondere vor allem
the a an this that these those there here it its they them their he she his her we us our
you your i me my of in on at by for with from to into onto over under about after before
between through during without within against among and or but nor so yet if then than as
because while when where which who whom whose what why how not no yes also only just even
is are was were be been being has have had do does did will would shall should can could
may might must all any both each every few many more most other some such one
however meanwhile moreover thus therefore still already today yesterday tomorrow now
`)

// germanDeterminerPrefixes: a word that begins with one of these and is a determiner
// or possessive (checked with germanDeterminer).
var germanDeterminers = wordSet(`
der die das den dem des ein eine einer eines einem einen kein keine keiner keines keinem keinen
mein meine meiner meines meinem meinen dein deine deiner deines deinem deinen
sein seine seiner seines seinem seinen ihr ihre ihrer ihres ihrem ihren
unser unsere unserer unseres unserem unseren euer eure eurer eures eurem euren
dieser diese dieses diesem diesen jener jene jenes jenem jenen jeder jede jedes jedem jeden
welcher welche welches welchem welchen solcher solche solches solchem solchen
am im ins vom zum zur beim
alle aller allen alles allem beide beider beiden viele vieler vielen einige einiger einigen
mehrere mehrerer mehreren manche mancher manchen wenige weniger wenigen sämtliche sämtlicher
`)

// titles precede personal names; a candidate right after one is a person.
var titles = wordSet(`
präsident präsidentin präsidenten staatspräsident staatschef staatschefin regierungschef
regierungschefin premierminister premierministerin premier ministerpräsident
ministerpräsidentin kanzler kanzlerin bundeskanzler bundeskanzlerin minister ministerin
außenminister außenministerin verteidigungsminister sprecher sprecherin botschafter
botschafterin sonderbotschafter general generalin herr frau dr prof papst könig königin
prinz prinzessin bürgermeister bürgermeisterin abgeordneter abgeordnete senator senatorin
chef chefin oppositionsführer oppositionsführerin autor autorin kollege kollegin
president prime minister chancellor secretary senator governor mayor mr mrs ms miss sir dame
king queen prince princess pope general gen sen rep gov lt col sgt capt spokesman
spokeswoman ambassador leader chief judge justice
`)

// locatives are prepositions that introduce a place ("in Gori", "nach Armenien", "from
// Goris"); they are evidence for a place reading of the next word.
var locatives = wordSet(`
in im nach aus bei nahe von vom zwischen über durch gen richtung nördlich südlich östlich
westlich nordöstlich nordwestlich südöstlich südwestlich bis ab entlang um rund
near from to into at between via across outside inside north south east west
northeast northwest southeast southwest toward towards through around within
`)

// orgHeads follow a place name that is part of an organisation's or a work's name
// ("Washington Post", "Moskauer Staatsuniversität" is an adjective and never matches).
var orgHeads = wordSet(`
post times zeitung rundschau allgemeine tagblatt kurier express news herald journal tribune
fc sc sv united airlines airport flughafen universität university college institut
institute statut statute vertrag treaty protokoll protocol abkommen agreement format prozess process
gruppe group bank börse exchange
`)

// germanPossessive reports whether w is a German possessive determiner (mein, seines,
// unserem …).
func germanPossessive(w string) bool {
	for _, stem := range []string{"mein", "dein", "sein", "ihr", "unser", "euer", "eur"} {
		if rest, ok := strings.CutPrefix(w, stem); ok {
			switch rest {
			case "", "e", "er", "es", "em", "en":
				return true
			}
		}
	}
	return false
}

// divisionWords name kinds of administrative division; next to a name ("Region
// Saporischschja", "Kharkiv region", "province of Idlib") they say the name means the
// division, not its capital city.
var divisionWords = wordSet(`
region provinz oblast bezirk kreis landkreis bundesstaat bundesland kanton gouvernement
departement département verwaltungsbezirk gebiet
province state county district governorate prefecture department canton territory
`)
