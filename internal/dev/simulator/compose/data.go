package compose

var (
	womenFirst = []string{"Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta", "Zofia", "Joanna", "Magdalena", "Aleksandra", "Jadwiga", "Grażyna"}
	menFirst   = []string{"Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Stanisław", "Józef", "Łukasz", "Grzegorz", "Wojciech", "Mateusz", "Jerzy"}
	// surnames holds the masculine and feminine forms.
	surnames = [][2]string{
		{"Nowak", "Nowak"}, {"Kowalski", "Kowalska"}, {"Wiśniewski", "Wiśniewska"}, {"Wójcik", "Wójcik"},
		{"Kowalczyk", "Kowalczyk"}, {"Kamiński", "Kamińska"}, {"Lewandowski", "Lewandowska"}, {"Zieliński", "Zielińska"},
		{"Szymański", "Szymańska"}, {"Woźniak", "Woźniak"}, {"Dąbrowski", "Dąbrowska"}, {"Kozłowski", "Kozłowska"},
		{"Jankowski", "Jankowska"}, {"Mazur", "Mazur"}, {"Krawczyk", "Krawczyk"}, {"Piotrowski", "Piotrowska"},
		{"Grabowski", "Grabowska"}, {"Pawłowski", "Pawłowska"}, {"Michalski", "Michalska"}, {"Król", "Król"},
	}
	towns = []struct{ name, postal string }{
		{"Kraków", "30-001"}, {"Tarnów", "33-100"}, {"Nowy Sącz", "33-300"}, {"Oświęcim", "32-600"},
		{"Chrzanów", "32-500"}, {"Olkusz", "32-300"}, {"Nowy Targ", "34-400"}, {"Bochnia", "32-700"},
		{"Gorlice", "38-300"}, {"Zakopane", "34-500"}, {"Wieliczka", "32-020"}, {"Myślenice", "32-400"},
		{"Wadowice", "34-100"}, {"Limanowa", "34-600"}, {"Miechów", "32-200"}, {"Dąbrowa Tarnowska", "33-200"},
	}
	streets = []string{"Długa", "Krótka", "Kościuszki", "Mickiewicza", "Słowackiego", "Polna", "Leśna", "Szkolna", "Ogrodowa", "Lipowa", "Kolejowa", "Rynek", "Jana Pawła II", "Piłsudskiego", "Sienkiewicza", "Grunwaldzka"}

	// matters are the subjects people write to a regional social-policy centre about.
	matters = []struct {
		rodzaj string // RodzajWnioskuRozszerzony@rodzaj
		title  string
		body   []string
	}{
		{"wniosek", "Wniosek o wydanie duplikatu Karty Dużej Rodziny",
			[]string{"Zwracam się z prośbą o wydanie duplikatu Karty Dużej Rodziny, ponieważ moja karta została zgubiona.", "Numer utraconej karty podaję w załączonym oświadczeniu."}},
		{"wniosek", "Wniosek o przedłużenie ważności Karty Dużej Rodziny dla dziecka",
			[]string{"Proszę o przedłużenie ważności Karty Dużej Rodziny dla mojego syna, który kontynuuje naukę w szkole wyższej.", "Zaświadczenie z uczelni przesyłam w załączeniu."}},
		{"skarga", "Skarga na przewlekłe prowadzenie sprawy",
			[]string{"Składam skargę na przewlekłe prowadzenie mojej sprawy, w której od ponad dwóch miesięcy nie otrzymano odpowiedzi.", "Proszę o wyjaśnienie przyczyn zwłoki i wskazanie terminu załatwienia sprawy."}},
		{"wniosek", "Wniosek o udostępnienie informacji publicznej",
			[]string{"Na podstawie art. 2 ust. 1 ustawy o dostępie do informacji publicznej wnoszę o udostępnienie wykazu placówek opiekuńczo-wychowawczych w województwie wraz z liczbą wolnych miejsc.", "Informację proszę przesłać na skrytkę ePUAP nadawcy."}},
		{"podanie", "Prośba o informację o wolnych miejscach w domu pomocy społecznej",
			[]string{"Uprzejmie proszę o informację, w których domach pomocy społecznej na terenie województwa są obecnie wolne miejsca dla osób przewlekle somatycznie chorych.", "Pytam w imieniu mojej matki, która wymaga całodobowej opieki."}},
		{"wniosek", "Wniosek o wpis do rejestru placówek zapewniających całodobową opiekę",
			[]string{"Wnoszę o wpis prowadzonej przeze mnie placówki do rejestru placówek zapewniających całodobową opiekę osobom niepełnosprawnym, przewlekle chorym lub osobom w podeszłym wieku.", "Wymagane dokumenty przesyłam w załącznikach."}},
		{"wyjaśnienie", "Uzupełnienie braków formalnych wniosku",
			[]string{"W odpowiedzi na wezwanie do uzupełnienia braków formalnych przesyłam brakujące dokumenty.", "Proszę o dalsze prowadzenie sprawy."}},
		{"inne pismo", "Zmiana adresu do korespondencji",
			[]string{"Informuję o zmianie adresu zamieszkania.", "Proszę o kierowanie dalszej korespondencji na nowy adres wskazany w danych nadawcy."}},
		{"wniosek", "Wniosek o dofinansowanie ze środków PFRON",
			[]string{"Zwracam się z wnioskiem o informację dotyczącą możliwości uzyskania dofinansowania likwidacji barier architektonicznych w mieszkaniu osoby niepełnosprawnej.", "Proszę o wskazanie właściwego trybu i wymaganych dokumentów."}},
		{"skarga", "Skarga na działanie ośrodka pomocy społecznej",
			[]string{"Składam skargę na działanie gminnego ośrodka pomocy społecznej, który odmówił przyjęcia mojego wniosku o zasiłek celowy.", "Proszę o zbadanie sprawy w ramach nadzoru nad jednostkami pomocy społecznej."}},
	}

	recipients = []struct{ name, town, postal, street, building, box string }{
		{CentreName, "Kraków", "30-070", "Piastowska", "32", "/ROPS_Krakow/SkrytkaESP"},
	}

	attachmentNames = []string{"oswiadczenie.pdf", "zaswiadczenie_z_uczelni.pdf", "skan_dowodu_wplaty.pdf", "pelnomocnictwo.pdf", "zdjecie.jpg"}
)
