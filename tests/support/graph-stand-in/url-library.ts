/**
 * A sample Universal Resource Library for the Graph stand-in: about 60 files, folders and links in
 * the URL's SharePoint site (EEF guidance reports, phonics videos, curriculum planning documents,
 * research summaries, tutorials, training videos), plus a few items the search must never return:
 * files in another site (path restriction) and private files only their owner may see (app-only
 * search skips private content, as Graph does). `npm run dev` serves the same library.
 */
export const SAMPLE_SITE_URL = 'https://harmonytrust.sharepoint.com/sites/UniversalResourceLibrary';
const DOCS = `${SAMPLE_SITE_URL}/Shared%20Documents`;
const OTHER_SITE = 'https://harmonytrust.sharepoint.com/sites/HumanResources/Shared%20Documents';
/** The sample owner of the private items (the sample roster's first person in tests). */
export const PRIVATE_OWNER_ID = 'b0000000-0000-4000-8000-000000000001';

export interface LibraryItem {
  id: string;
  /** File name with extension; folders and links have none. */
  name: string;
  kind: 'file' | 'folder' | 'link';
  webUrl: string;
  author: string;
  modified: string;
  /** What search reads besides the name: the document's words. */
  text: string;
  /** Who may see it: everyone in the trust, or only these user ids (private content). */
  visibleTo: 'everyone' | readonly string[];
}

type Row = [folder: string, name: string, author: string, modified: string, text: string];

const ROWS: Row[] = [
  ['EEF Guidance', 'Making Best Use of Teaching Assistants - guidance report.pdf', 'Education Endowment Foundation', '2025-10-02', 'EEF guidance report on deploying teaching assistants TAs effectively in the classroom, structured interventions and TA training'],
  ['EEF Guidance', 'Teaching assistants - summary of recommendations.pdf', 'Priya Shah', '2026-01-15', 'One page summary of the EEF teaching assistants guidance recommendations for school leaders'],
  ['EEF Guidance', 'Improving Literacy in Key Stage 1 - guidance report.pdf', 'Education Endowment Foundation', '2025-09-12', 'EEF guidance report on literacy in key stage 1 phonics, reading comprehension, vocabulary and oral language'],
  ['EEF Guidance', 'Improving Literacy in Key Stage 2 - guidance report.pdf', 'Education Endowment Foundation', '2025-09-12', 'EEF guidance on reading fluency, vocabulary instruction, comprehension strategies and writing in key stage 2'],
  ['EEF Guidance', 'Metacognition and Self-Regulated Learning - guidance report.pdf', 'Education Endowment Foundation', '2025-11-20', 'EEF guidance report on metacognition, self regulated learning and explicit teaching of strategies'],
  ['EEF Guidance', 'Special Educational Needs in Mainstream Schools - guidance report.pdf', 'Education Endowment Foundation', '2025-08-30', 'EEF guidance on SEND in mainstream schools, adaptive teaching, the five a day approach and TA deployment'],
  ['EEF Guidance', 'Improving Mathematics in Key Stages 2 and 3 - guidance report.pdf', 'Education Endowment Foundation', '2025-07-18', 'EEF guidance for maths: manipulatives, representations, problem solving and metacognition in mathematics'],
  ['EEF Guidance', 'Improving Behaviour in Schools - guidance report.pdf', 'Education Endowment Foundation', '2025-06-05', 'EEF guidance on behaviour: knowing pupils, teaching learning behaviours, classroom management and consistency'],
  ['EEF Guidance', 'Preparing for Literacy - early years guidance report.pdf', 'Education Endowment Foundation', '2025-05-21', 'EEF early years guidance on communication and language, early reading and phonics in EYFS'],
  ['EEF Guidance', 'Working with Parents to Support Learning - guidance report.pdf', 'Education Endowment Foundation', '2025-04-11', 'EEF guidance on parental engagement and families supporting children\'s learning at home'],
  ['Phonics', 'Year 1 phonics - Phase 5 alternative spellings.pptx', 'Amira Khan', '2026-02-03', 'Phonics lesson slides for year 1 phase 5 alternative graphemes, systematic synthetic phonics'],
  ['Phonics', 'Phonics screening check - preparation pack.docx', 'Amira Khan', '2026-03-10', 'Preparing pupils for the phonics screening check PSC with pseudo words and practice sheets'],
  ['Phonics', 'Blending and segmenting - modelling video.mp4', 'Tom Price', '2025-12-01', 'Training video modelling oral blending and segmenting in reception phonics lessons'],
  ['Phonics', 'Phonics keep-up interventions - video walkthrough.mp4', 'Tom Price', '2026-01-22', 'Video showing daily phonics keep up intervention for pupils at risk of falling behind in early reading'],
  ['Phonics', 'Reception phonics - Phase 2 sound mats.pdf', 'Amira Khan', '2025-10-14', 'Printable sound mats for reception phase 2 phonics, grapheme phoneme correspondence'],
  ['Phonics', 'Phonics assessment tracker.xlsx', 'Jo Bennett', '2026-02-27', 'Spreadsheet to track phonics assessment outcomes by phase, half term and group'],
  ['Phonics', 'Decodable reading books - matching guide.docx', 'Jo Bennett', '2025-11-05', 'Guide to matching decodable reading books to phonics phase and early reading progress'],
  ['Vocabulary', 'Tier 2 vocabulary - teaching routine.pptx', 'Hannah Cole', '2026-01-09', 'Explicit vocabulary instruction routine for tier 2 words across the curriculum, oracy and reading'],
  ['Vocabulary', 'Word-rich classrooms - research summary.pdf', 'Hannah Cole', '2025-12-12', 'Research summary on vocabulary gaps, word consciousness and word rich classroom environments'],
  ['Vocabulary', 'Vocabulary knowledge organisers - KS2 science.docx', 'Sam Okoro', '2026-02-14', 'Knowledge organisers with key vocabulary for key stage 2 science units'],
  ['Vocabulary', 'Frayer model template.docx', 'Hannah Cole', '2025-09-25', 'Template for the Frayer model to teach and explore new vocabulary'],
  ['Vocabulary', 'Vocabulary in early years - training video.mp4', 'Tom Price', '2026-03-02', 'Training video on developing vocabulary and language through talk in the early years'],
  ['Curriculum Planning', 'Maths long-term plan - Year 3.docx', 'Sam Okoro', '2026-01-30', 'Curriculum planning document long term plan for year 3 maths: place value, addition, fractions'],
  ['Curriculum Planning', 'Maths medium-term planning - fractions Year 5.docx', 'Sam Okoro', '2026-02-20', 'Medium term curriculum planning for year 5 maths fractions sequence of lessons'],
  ['Curriculum Planning', 'Mathematics curriculum map - KS1 and KS2.xlsx', 'Sam Okoro', '2025-11-28', 'Curriculum planning map for mathematics across key stage 1 and key stage 2'],
  ['Curriculum Planning', 'English curriculum overview - reading spine.pdf', 'Hannah Cole', '2025-10-30', 'Curriculum planning overview of the reading spine texts by year group'],
  ['Curriculum Planning', 'History curriculum planning - progression of knowledge.docx', 'Leah Morgan', '2025-09-19', 'Curriculum planning progression document for history substantive and disciplinary knowledge'],
  ['Curriculum Planning', 'Science curriculum planning - working scientifically.docx', 'Leah Morgan', '2026-01-12', 'Curriculum planning for working scientifically skills progression'],
  ['Curriculum Planning', 'Curriculum intent - subject leader template.docx', 'Leah Morgan', '2025-08-28', 'Template for subject leaders to set out curriculum intent, implementation and impact'],
  ['Research', 'Retrieval practice - research summary.pdf', 'Dr Ellen Reid', '2026-02-08', 'Research summary on retrieval practice, spaced practice and low stakes quizzing'],
  ['Research', 'Cognitive load theory - research summary.pdf', 'Dr Ellen Reid', '2025-12-18', 'Research summary on cognitive load theory and worked examples for teachers'],
  ['Research', 'Oracy in the classroom - evidence summary.pdf', 'Dr Ellen Reid', '2025-11-11', 'Evidence summary on oracy, spoken language and talk for learning'],
  ['Research', 'Attendance and persistent absence - research review.pdf', 'Marcus Lee', '2026-01-27', 'Research review on improving attendance and reducing persistent absence'],
  ['Research', 'Disadvantaged pupils - what the research says.pdf', 'Marcus Lee', '2025-10-08', 'Research summary on pupil premium and disadvantaged pupils attainment gap'],
  ['Research', 'Practitioner inquiry - HLC findings 2025.docx', 'Dr Ellen Reid', '2025-07-30', 'Findings of the Harmony Learning Community practitioner inquiry projects'],
  ['Tutorials', 'How to use the visualiser - tutorial.mp4', 'IT Team', '2025-09-03', 'Tutorial video on using the classroom visualiser for live modelling'],
  ['Tutorials', 'Microsoft Teams assignments - tutorial.pdf', 'IT Team', '2025-10-21', 'Step by step tutorial for setting and marking assignments in Microsoft Teams'],
  ['Tutorials', 'Reading Progress in Teams - tutorial video.mp4', 'IT Team', '2026-01-05', 'Tutorial video on using Reading Progress for reading fluency practice'],
  ['Tutorials', 'OneNote class notebook - getting started.pptx', 'IT Team', '2025-11-17', 'Tutorial slides on getting started with OneNote class notebook'],
  ['Tutorials', '1-2-1 devices - classroom routines tutorial.pdf', 'HTML Team', '2026-02-11', 'Tutorial on classroom routines for 1-2-1 devices and edtech in HTML academies'],
  ['Training Videos', 'Adaptive teaching in practice - training video.mp4', 'Priya Shah', '2026-02-18', 'Training video on adaptive teaching, scaffolding and SEND support in mainstream classrooms'],
  ['Training Videos', 'Behaviour routines - training video.mp4', 'Marcus Lee', '2025-12-09', 'Training video on behaviour routines, calm classrooms and positive relationships'],
  ['Training Videos', 'Effective TA deployment - training video.mp4', 'Priya Shah', '2026-01-19', 'Training video for teachers and teaching assistants on TA deployment and scaffolding'],
  ['Training Videos', 'Safeguarding update - KCSIE training video.mp4', 'Safeguarding Team', '2025-09-01', 'Training video on Keeping Children Safe in Education updates for all staff'],
  ['Training Videos', 'Questioning for metacognition - training video.mp4', 'Dr Ellen Reid', '2025-11-24', 'Training video on questioning and metacognition in lessons'],
  ['SEND', 'SEND support plan template.docx', 'Priya Shah', '2026-02-25', 'Template for SEND support plans, assess plan do review cycle for SENCOs'],
  ['SEND', 'Speech and language - SLCN classroom strategies.pdf', 'Priya Shah', '2025-12-03', 'Classroom strategies for pupils with speech language and communication needs'],
  ['SEND', 'Autism-friendly classrooms - presentation.pptx', 'Priya Shah', '2026-01-14', 'Presentation on autism friendly classroom environments and sensory needs'],
  ['SEND', 'SENCO handbook 2025-26.pdf', 'Inclusion Team', '2025-09-08', 'Handbook for SENCOs: SEND register, provision maps and annual reviews'],
  ['Early Years', 'EYFS continuous provision - planning guide.docx', 'Jo Bennett', '2025-10-17', 'Planning guide for continuous provision in the early years foundation stage'],
  ['Early Years', 'Good level of development - moderation examples.pdf', 'Jo Bennett', '2026-03-05', 'Moderation examples for GLD good level of development judgements in reception'],
  ['Maths', 'Mastery maths - bar model presentation.pptx', 'Sam Okoro', '2025-12-15', 'Presentation on the bar model in mastery maths for problem solving'],
  ['Maths', 'Times tables practice - teaching video.mp4', 'Sam Okoro', '2026-02-06', 'Teaching video with times tables practice routines for year 4 multiplication check'],
];

const FOLDERS = ['EEF Guidance', 'Phonics', 'Vocabulary', 'Curriculum Planning', 'Research', 'Tutorials', 'Training Videos', 'SEND', 'Early Years', 'Maths'];

const LINKS: Array<[title: string, url: string, text: string]> = [
  ['EEF Teaching and Learning Toolkit', 'https://educationendowmentfoundation.org.uk/education-evidence/teaching-learning-toolkit', 'EEF toolkit of approaches to teaching and learning with cost, evidence and impact'],
  ['EEF guidance reports (all)', 'https://educationendowmentfoundation.org.uk/education-evidence/guidance-reports', 'Shortcut to every EEF guidance report'],
  ['NCETM mastery professional development', 'https://www.ncetm.org.uk/', 'NCETM maths mastery professional development materials'],
];

const enc = (segment: string): string => encodeURIComponent(segment);

export function sampleUrlLibrary(): LibraryItem[] {
  const items: LibraryItem[] = [];
  FOLDERS.forEach((folder, i) => {
    items.push({ id: `folder-${i + 1}`, name: folder, kind: 'folder', webUrl: `${DOCS}/${enc(folder)}`, author: 'HTML CPD Team', modified: '2025-08-20', text: `${folder} folder`, visibleTo: 'everyone' });
  });
  ROWS.forEach(([folder, name, author, modified, text], i) => {
    items.push({ id: `item-${String(i + 1).padStart(3, '0')}`, name, kind: 'file', webUrl: `${DOCS}/${enc(folder)}/${enc(name)}`, author, modified: `${modified}T09:00:00Z`, text, visibleTo: 'everyone' });
  });
  LINKS.forEach(([title, url, text], i) => {
    // A link list item's webUrl is the list item's display form in the site; its target is a field.
    items.push({ id: `link-${i + 1}`, name: title, kind: 'link', webUrl: `${SAMPLE_SITE_URL}/Lists/Shortcuts/DispForm.aspx?ID=${i + 1}`, author: 'HTML CPD Team', modified: '2025-09-01T09:00:00Z', text: `${text} ${url}`, visibleTo: 'everyone' });
  });
  // Private drafts: only their owner's delegated search may return them.
  items.push(
    { id: 'private-1', name: 'Phonics lesson observation notes - draft.docx', kind: 'file', webUrl: `${DOCS}/Phonics/${enc('Phonics lesson observation notes - draft.docx')}`, author: 'Ola Nowak', modified: '2026-03-12T09:00:00Z', text: 'Private draft phonics observation notes', visibleTo: [PRIVATE_OWNER_ID] },
    { id: 'private-2', name: 'Vocabulary audit - my class.xlsx', kind: 'file', webUrl: `${DOCS}/Vocabulary/${enc('Vocabulary audit - my class.xlsx')}`, author: 'Ola Nowak', modified: '2026-03-11T09:00:00Z', text: 'Private vocabulary audit for my class', visibleTo: [PRIVATE_OWNER_ID] },
  );
  // Another site: a search restricted to the URL must never see these.
  items.push(
    { id: 'hr-1', name: 'Phonics allowance - pay policy.pdf', kind: 'file', webUrl: `${OTHER_SITE}/${enc('Phonics allowance - pay policy.pdf')}`, author: 'HR', modified: '2026-01-01T09:00:00Z', text: 'Pay policy phonics allowance vocabulary resources', visibleTo: 'everyone' },
    { id: 'hr-2', name: 'Staff absence procedure.docx', kind: 'file', webUrl: `${OTHER_SITE}/${enc('Staff absence procedure.docx')}`, author: 'HR', modified: '2026-01-02T09:00:00Z', text: 'Staff absence and attendance procedure resources', visibleTo: 'everyone' },
  );
  return items;
}
