//! The words seeded records are made of: Brazilian, Portuguese, Spanish and
//! English names with their accents, companies, E.164 phones.

use lovedcrm::records::search::fold;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

pub const FIRST_NAMES: &[&str] = &[
    "Ana",
    "João",
    "Maria",
    "Pedro",
    "Luíza",
    "José",
    "Beatriz",
    "Tomás",
    "Emily",
    "James",
    "Olívia",
    "Lucas",
    "Gabriela",
    "Rafael",
    "Sofía",
    "André",
    "Camila",
    "Noah",
    "Isabela",
    "Miguel",
    "Júlia",
    "Daniel",
    "Laura",
    "Mateus",
    "Chloe",
    "Henrique",
    "Letícia",
    "Oliver",
    "Inês",
    "Gonçalo",
    "Márcia",
    "Fábio",
    "Cecília",
    "Vitória",
    "Antônio",
    "Helena",
    "Caio",
    "Valentina",
    "Sebastián",
    "Lucía",
    "Martín",
    "Ximena",
    "Álvaro",
    "Renée",
    "Zoë",
    "Benjamin",
    "Charlotte",
    "William",
    "Amelia",
    "Ethan",
    "Mia",
    "Thiago",
    "Larissa",
    "Bruno",
    "Aline",
    "Diego",
    "Natália",
    "Rodrigo",
    "Patrícia",
    "Otávio",
];

pub const LAST_NAMES: &[&str] = &[
    "Silva",
    "Souza",
    "Gonçalves",
    "Pereira",
    "Oliveira",
    "Araújo",
    "Conceição",
    "Smith",
    "Johnson",
    "Brown",
    "Almeida",
    "Ribeiro",
    "Carvalho",
    "Melo",
    "Williams",
    "Fernandes",
    "Lima",
    "Castro",
    "Taylor",
    "Martins",
    "Rocha",
    "Guimarães",
    "Moore",
    "Barbosa",
    "Gómez",
    "Rodríguez",
    "Hernández",
    "Muñoz",
    "Peña",
    "Núñez",
    "Brandão",
    "Magalhães",
    "Assunção",
    "Lourenço",
    "Simões",
    "Gaspar",
    "Fontes",
    "Teixeira",
    "Cardoso",
    "Nogueira",
    "Müller",
    "Schäfer",
    "O'Brien",
    "Anderson",
    "Thomas",
    "Jackson",
    "White",
    "Harris",
    "Martin",
    "Thompson",
    "Garcia",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
    "King",
    "Wright",
    "Lopes",
    "Monteiro",
    "Mendes",
    "Freitas",
    "Barros",
    "Pinto",
    "Moreira",
    "Cavalcanti",
    "Vasconcelos",
    "Dias",
    "Campos",
    "Cunha",
    "Rezende",
    "Andrade",
    "Prado",
    "Queiroz",
    "Sampaio",
    "Tavares",
    "Vieira",
    "Xavier",
    "Zanetti",
    "Bianchi",
    "Romano",
];

pub const COMPANY_FIRST: &[&str] = &[
    "Padaria",
    "Café",
    "Clínica",
    "Estúdio",
    "Acme",
    "Northwind",
    "Blue Harbor",
    "Loja",
    "Construtora",
    "Escola",
    "Mercado",
    "Brightside",
    "Pousada",
    "Oficina",
    "Atelier",
    "Summit",
    "Farmácia",
    "Agência",
    "Instituto",
    "Restaurante",
    "Hotel",
    "Academia",
    "Imobiliária",
    "Livraria",
    "Contabilidade",
    "Transportadora",
    "Distribuidora",
    "Laboratório",
    "Ótica",
    "Floricultura",
    "Pet Shop",
    "Cervejaria",
    "Green Valley",
    "Silverline",
    "Redwood",
    "Maple",
    "Oceanic",
    "Pinnacle",
    "Horizon",
    "Evergreen",
];

pub const COMPANY_SECOND: &[&str] = &[
    "São Jorge",
    "Pão Quente",
    "Bem-Estar",
    "Horizonte",
    "Sorriso",
    "Aurora",
    "Paulista",
    "Ipanema",
    "Copacabana",
    "Do Vale",
    "Central",
    "Nova Era",
    "Boa Vista",
    "Três Irmãos",
    "Estrela",
    "Sol Nascente",
    "Primavera",
    "Jardim",
    "Mar Azul",
    "Labs",
    "Partners",
    "Digital",
    "Studio",
    "Group",
    "Solutions",
    "Co.",
    "Brothers",
    "& Filhos",
    "Criativa",
    "Ágil",
    "Saúde",
    "Educação",
    "Gourmet",
    "Express",
    "Premium",
    "Urbano",
    "Rústico",
    "Moderno",
    "Clássico",
    "Família",
];

pub const CITIES: &[&str] = &[
    "São Paulo",
    "Rio de Janeiro",
    "Belo Horizonte",
    "Curitiba",
    "Porto Alegre",
    "Florianópolis",
    "Recife",
    "Salvador",
    "Fortaleza",
    "Brasília",
    "Goiânia",
    "Manaus",
    "Belém",
    "Campinas",
    "Niterói",
    "Lisboa",
    "Porto",
    "Madrid",
    "Barcelona",
    "Ciudad de México",
    "Buenos Aires",
    "Bogotá",
    "New York",
    "Austin",
];

pub const LEGAL: &[&str] = &["Ltda", "S.A.", "ME", "EIRELI", "Inc.", "LLC"];

pub const INDUSTRIES: &[&str] = &[
    "Food & Beverage",
    "Healthcare",
    "Retail",
    "Education",
    "Construction",
    "Hospitality",
    "Real Estate",
    "Professional Services",
    "Technology",
    "Manufacturing",
    "Logistics",
    "Beauty",
    "Fitness",
    "Automotive",
    "Agriculture",
];

pub const JOBS: &[&str] = &[
    "CEO",
    "Founder",
    "Owner",
    "Marketing Manager",
    "Head of Growth",
    "Sales Director",
    "Gerente Comercial",
    "Diretora de Marketing",
    "Sócio",
    "Coordenadora",
    "CFO",
    "Office Manager",
    "Social Media",
    "Analista de Compras",
    "Product Manager",
    "Operations",
];

pub const MAIL_HOSTS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com.br",
    "uol.com.br",
    "icloud.com",
];

/// Contact sources (`contacts.source` is free text; these are the usual ones).
pub const CONTACT_SOURCES: &[&str] = &["web", "import", "referral", "whatsapp", "event", "ads"];

/// `leads.source` values the API accepts (leads/model.rs `SOURCES`).
pub const LEAD_SOURCES: &[&str] = &[
    "manual", "web", "whatsapp", "email", "voip", "import", "api", "referral", "form", "ads",
    "other",
];

/// Timeline channels, directions and statuses (timeline/model.rs).
pub const CHANNELS: &[&str] = &["whatsapp", "email", "call", "sms", "meeting", "note"];
pub const DIRECTIONS: &[&str] = &["inbound", "outbound"];
pub const COMM_STATUSES: &[&str] = &["sent", "delivered", "read"];

pub const DEALS: &[&str] = &[
    "Website redesign",
    "Social media retainer",
    "SEO audit",
    "Brand identity",
    "Landing page",
    "Google Ads campaign",
    "E-commerce store",
    "Newsletter",
    "Video production",
    "App MVP",
    "Rebranding",
    "Cardápio digital",
    "Campanha de Natal",
    "Gestão de tráfego",
];

pub const MESSAGES: &[&str] = &[
    "Olá! Segue a proposta revisada com os valores que conversamos.",
    "Hi, just checking in on the proposal we sent last week.",
    "Podemos marcar uma reunião na quinta às 15h?",
    "Thanks for the call today, notes attached.",
    "Recebi o briefing, vou preparar o orçamento até amanhã.",
    "Can you confirm the launch date for the campaign?",
    "Cliente pediu para ajustar a paleta de cores da marca.",
    "Enviado o contrato para assinatura eletrônica.",
    "¿Podemos revisar el presupuesto antes del viernes?",
    "Left a voicemail, will try again tomorrow morning.",
];

pub const PROJECT_KINDS: &[&str] = &[
    "Website",
    "Brand book",
    "Campanha",
    "Social media",
    "SEO",
    "App",
    "Rebranding",
    "Catálogo",
];

pub const TASKS: &[&str] = &[
    "Ligar para",
    "Send proposal to",
    "Revisar contrato de",
    "Follow up with",
    "Agendar reunião com",
    "Prepare report for",
    "Enviar orçamento para",
    "Check feedback from",
];

pub const LOST_REASONS: &[&str] = &["Price", "Chose a competitor", "No budget", "No response"];

pub fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or_default()
}

/// Letters and digits of the folded text (for emails and domains).
pub fn slug(s: &str) -> String {
    fold(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// A person: (first, last, email, E.164 phone, job).
pub struct Person {
    pub first: &'static str,
    pub last: &'static str,
    pub email: String,
    pub phone: String,
    pub job: &'static str,
}

pub fn person(rng: &mut StdRng, n: usize, domain: Option<&str>) -> Person {
    let first = pick(rng, FIRST_NAMES);
    let last = pick(rng, LAST_NAMES);
    let host = match domain {
        Some(d) if rng.random_bool(0.6) => d.to_string(),
        _ => pick(rng, MAIL_HOSTS).to_string(),
    };
    Person {
        first,
        last,
        email: format!("{}.{}{}@{host}", slug(first), slug(last), n % 1000),
        phone: phone(rng),
        job: pick(rng, JOBS),
    }
}

/// A plausible mobile number in E.164: mostly Brazil, some US, Portugal, Spain.
pub fn phone(rng: &mut StdRng) -> String {
    match rng.random_range(0..10) {
        0 => format!(
            "+1{}{}{:06}",
            ["212", "415", "617", "312", "512"][rng.random_range(0..5)],
            rng.random_range(2..10),
            rng.random_range(0..1_000_000)
        ),
        1 => format!(
            "+3519{}{:07}",
            [1, 2, 3, 6][rng.random_range(0..4)],
            rng.random_range(0..10_000_000)
        ),
        2 => format!("+346{:08}", rng.random_range(0..100_000_000)),
        _ => format!(
            "+55{}9{:08}",
            [11, 21, 31, 41, 51, 61, 71, 81, 85, 91, 19, 48][rng.random_range(0..12)],
            rng.random_range(0..100_000_000)
        ),
    }
}

/// A company: (name, domain, industry).
pub fn company(rng: &mut StdRng) -> (String, String, &'static str) {
    let first = pick(rng, COMPANY_FIRST);
    let second = pick(rng, COMPANY_SECOND);
    let name = match rng.random_range(0..3) {
        0 => format!("{first} {second}"),
        1 => format!("{first} {second} {}", pick(rng, LEGAL)),
        _ => format!("{first} {second} {}", pick(rng, CITIES)),
    };
    let tld = if rng.random_bool(0.7) {
        "com.br"
    } else {
        "com"
    };
    let domain = format!("{}{}.{tld}", slug(first), slug(second));
    (name, domain, pick(rng, INDUSTRIES))
}
