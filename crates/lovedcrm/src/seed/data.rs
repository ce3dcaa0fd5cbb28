//! Names and words the demo data is made of: English with Portuguese names
//! and accents, like the agencies Loved CRM is made for.

pub const FIRST_NAMES: &[&str] = &[
    "Ana", "João", "Maria", "Pedro", "Luíza", "José", "Beatriz", "Tomás", "Emily", "James",
    "Olivia", "Lucas", "Gabriela", "Rafael", "Sofia", "André", "Camila", "Noah", "Isabela",
    "Miguel", "Júlia", "Daniel", "Laura", "Mateus", "Chloe", "Henrique", "Letícia", "Oliver",
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
];

pub const COMPANY_SECOND: &[&str] = &[
    "São Jorge",
    "Pão Quente",
    "Bem-Estar",
    "Horizonte",
    "Logistics",
    "Foods",
    "Digital",
    "Ipê Amarelo",
    "Aurora",
    "Labs",
    "Mar Azul",
    "Ventures",
    "Boa Vista",
    "Solar",
    "Trading",
];

pub const INDUSTRIES: &[&str] = &[
    "Food & beverage",
    "Healthcare",
    "Retail",
    "Education",
    "Construction",
    "Hospitality",
    "Logistics",
    "Software",
    "Fashion",
    "Real estate",
];

pub const JOBS: &[&str] = &[
    "CEO",
    "Founder",
    "Marketing Manager",
    "Sócia-diretora",
    "Head of Growth",
    "Gerente Comercial",
    "Operations Director",
    "Owner",
    "CMO",
    "Coordenadora de Marketing",
];

pub const DEALS: &[&str] = &[
    "Website redesign",
    "Social media retainer",
    "SEO package",
    "Campanha de lançamento",
    "Brand identity",
    "Google Ads management",
    "E-commerce store",
    "Vídeo institucional",
    "Email marketing automation",
    "Landing pages",
    "Consultoria de marca",
    "App prototype",
];

pub const SOURCES: &[&str] = &[
    "web", "whatsapp", "email", "referral", "import", "form", "ads",
];

pub const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "whatsapp",
        "inbound",
        "Olá! Vi o anúncio de vocês, podemos conversar sobre um orçamento?",
    ),
    (
        "whatsapp",
        "outbound",
        "Claro! Posso te ligar amanhã às 10h?",
    ),
    (
        "email",
        "outbound",
        "Following up on our proposal — happy to adjust the scope.",
    ),
    (
        "email",
        "inbound",
        "Thanks, the team liked it. Can you send the timeline?",
    ),
    (
        "call",
        "outbound",
        "Discovery call: budget confirmed, decision in two weeks.",
    ),
    (
        "meeting",
        "outbound",
        "Kick-off meeting at their office, met the marketing team.",
    ),
    (
        "note",
        "internal",
        "Prefers WhatsApp over email; decision maker is the owner.",
    ),
    (
        "whatsapp",
        "inbound",
        "Recebi a proposta, vou revisar com meu sócio 👍",
    ),
    (
        "call",
        "inbound",
        "Called back asking about payment in installments.",
    ),
];

pub const PROJECTS: &[(&str, &str)] = &[
    ("Website redesign", "in_progress"),
    ("Instagram content — Q1", "planned"),
    ("Brand book", "completed"),
    ("Google Ads launch", "in_progress"),
    ("Vídeo institucional", "on_hold"),
    ("Landing page Black Friday", "planned"),
];

pub const TASKS: &[&str] = &[
    "Kick-off call",
    "Collect brand assets",
    "Wireframes",
    "Revisão do cliente",
    "Write copy",
    "Design mockups",
    "Set up analytics",
    "QA on mobile",
    "Publish",
    "Relatório de resultados",
    "Plan content calendar",
    "Photo shoot",
];
