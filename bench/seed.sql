-- Seeds a large organisation into the demo organisation of a PEISC SQLite file, for bench/run.sh.
--
-- Before `.read`ing this file, run.sh creates two temp tables on the same connection:
--   temp.cfg(reviews)               how many reviews to add
--   temp.items(idx, cell, item)     every item of the built-in edition, in framework order (from peisc.json)
--
-- Rows are written exactly as EF Core writes them, so the app reads them as its own:
--   Guids      upper-case TEXT, 8-4-4-4-12 (audit EntityIds use Guid.ToString(): lower case)
--   DateTimes  TEXT 'yyyy-MM-dd HH:mm:ss.FFFFFFF' in UTC; whole seconds here, so no fraction at all
--   enums      Position, ServiceArea and Status by name; Voices as its [Flags] integer
--
-- Each review has two rounds: round 1 (frozen) answered on 50 of the 77 items, and round 2 (current)
-- holding the same 50 answers carried forward at version 1, as ReviewService.StartRoundAsync does.
-- So 20,000 reviews give 2,000,000 answers, and each open review keeps 27 unanswered items in its
-- current round for the save benchmark. Round 1's answers also get their history and audit rows.

PRAGMA journal_mode = WAL;      -- the app's mode (it refuses to start otherwise); stays set in the file
PRAGMA synchronous = OFF;       -- throwaway data: the app sets FULL again on each of its connections
PRAGMA cache_size = -1048576;   -- 1 GiB: the Answers indexes are written in random Guid order
PRAGMA foreign_keys = ON;

BEGIN;

CREATE TEMP TABLE who AS
SELECT
    (SELECT Id FROM Organisations WHERE Name = 'Northshire Council (demo)') AS org,
    (SELECT Id FROM AspNetUsers WHERE NormalizedEmail = 'FACILITATOR@DEMO.PEISC.EXAMPLE') AS fac,
    (SELECT DisplayName FROM AspNetUsers WHERE NormalizedEmail = 'FACILITATOR@DEMO.PEISC.EXAMPLE') AS fac_name,
    (SELECT Id FROM AspNetUsers WHERE NormalizedEmail = 'CONTRIBUTOR@DEMO.PEISC.EXAMPLE') AS con,
    (SELECT DisplayName FROM AspNetUsers WHERE NormalizedEmail = 'CONTRIBUTOR@DEMO.PEISC.EXAMPLE') AS con_name,
    CAST(strftime('%s', 'now') AS INTEGER) AS now_s;

-- One row per review, with its ids and times fixed once (random() must not be re-evaluated later).
-- Times spread over the last two years; round 2 starts halfway between creation and now.
CREATE TEMP TABLE r AS
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < (SELECT reviews FROM temp.cfg))
SELECT
    n,
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF) AS id,
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF) AS round1,
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF) AS round2,
    1 + n % 5 AS stage1,                                          -- round 2 is at the next stage
    (SELECT now_s FROM temp.who) - 86400 * (30 + (n * 37) % 700) - (n * 13) % 86400 AS created_s,
    n % 20 = 0 AS archived                                        -- 5% archived
FROM seq;
CREATE UNIQUE INDEX temp.r_n ON r(n);

INSERT INTO Reviews (Id, OrganisationId, Title, Innovation, ServiceArea, SituationId, EditionId, Partners,
                     CreatedAt, CreatedByUserId, UpdatedAt, ArchivedAt, CurrentRoundId, CurrentRoundNumber,
                     CurrentStageId, ItemCount, ConsideredCount, ConcernCount)
SELECT
    r.id, w.org,
    printf('%s %05d', CASE n % 8
        WHEN 0 THEN 'Family group conferencing'      WHEN 1 THEN 'Assistive technology at home'
        WHEN 2 THEN 'Digital care records for young people' WHEN 3 THEN 'Strengths-based assessment'
        WHEN 4 THEN 'Community-led support hubs'     WHEN 5 THEN 'Predictive risk tool pilot'
        WHEN 6 THEN 'Shared lives expansion'         ELSE 'Virtual reality training for carers' END, n),
    'An innovation in how the service works with families and adults, described by the team that runs it. '
        || 'Funded for two years; evaluated by a university partner.',
    CASE n % 4 WHEN 0 THEN 'Children' WHEN 1 THEN 'Adults' WHEN 2 THEN 'AllAge' ELSE 'Other' END,
    'situation.' || (1 + n % 5),
    'peisc',
    CASE WHEN n % 3 = 0 THEN 'Northshire NHS Foundation Trust; a parent-led charity' END,
    datetime(created_s, 'unixepoch'), w.fac,
    datetime((created_s + w.now_s) / 2 + (w.now_s - created_s) / 4, 'unixepoch'),
    CASE WHEN archived THEN datetime((created_s + w.now_s) / 2 + (w.now_s - created_s) / 3, 'unixepoch') END,
    r.round2, 2, 'stage.' || (stage1 + 1),
    (SELECT count(*) FROM temp.items), 0, 0                       -- counts set below, from the answers
FROM r, who AS w;

INSERT INTO Rounds (Id, OrganisationId, ReviewId, Number, StageId, StartedAt, StartedByUserId, FrozenAt)
SELECT r.round1, w.org, r.id, 1, 'stage.' || stage1, datetime(created_s, 'unixepoch'), w.fac,
       datetime((created_s + w.now_s) / 2, 'unixepoch')
FROM r, who AS w
UNION ALL
SELECT r.round2, w.org, r.id, 2, 'stage.' || (stage1 + 1), datetime((created_s + w.now_s) / 2, 'unixepoch'),
       w.fac, NULL
FROM r, who AS w;

-- Which 50 items a review answered shifts from review to review, so every cell has answers somewhere.
CREATE TEMP VIEW answered AS
SELECT r.n, r.id AS review_id, r.round1, r.round2, r.created_s, i.idx, i.cell, i.item,
       (r.n * 31 + i.idx * 17) % 20 AS k
FROM r, temp.items AS i
WHERE (i.idx + r.n * 7) % (SELECT count(*) FROM temp.items) < 50;

-- Round 1: what the team recorded (about 45% addressed, 25% partly, 15% concerns, 10% not applicable).
INSERT INTO Answers (Id, OrganisationId, ReviewId, RoundId, CellId, ItemId, Position, NotApplicableReason,
                     Reasoning, Evidence, Voices, Dissent, Version, UpdatedAt, UpdatedByUserId, UpdatedByName)
SELECT
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF),
    w.org, a.review_id, a.round1, a.cell, a.item,
    CASE WHEN k < 9 THEN 'Addressed' WHEN k < 14 THEN 'PartlyAddressed' WHEN k < 17 THEN 'Concern'
         WHEN k < 19 THEN 'NotApplicable' ELSE 'Addressed' END,
    CASE WHEN k IN (17, 18) THEN 'Not relevant at this stage of the innovation' END,
    CASE (a.n + a.idx) % 6
        WHEN 0 THEN 'Discussed at the design workshop with practitioners and two parents; the plan answers this for now, to be revisited at the next stage.'
        WHEN 1 THEN 'The service manager and the participation lead agreed the approach; young people have not been asked yet, which we mean to do before testing.'
        WHEN 2 THEN 'Covered by the data protection impact assessment and the information sharing agreement with the NHS trust.'
        WHEN 3 THEN 'Funding covers two localities only, so people elsewhere in the county cannot use the service during the pilot.'
        WHEN 4 THEN 'Practitioners raised workload worries in supervision; the team is looking at caseload weighting with the union.'
        ELSE 'The evaluation plan measures this with families, not only with service data, and reports to the steering group each quarter.' END,
    CASE WHEN (a.n + a.idx) % 3 = 0 THEN 'Workshop notes, ' || (1 + a.idx % 28) || ' March; steering group minutes' END,
    ((a.n + a.idx) * 11) % 64,
    CASE WHEN (a.n + a.idx) % 10 = 0 THEN 'One team member thinks the timetable is too short to involve young people properly.' END,
    1, datetime(a.created_s + 3600 * (1 + a.idx), 'unixepoch'), w.con, w.con_name
FROM answered AS a, who AS w;

-- Round 2: the same answers carried forward, as a new round starts with them (version 1, same author and time).
INSERT INTO Answers (Id, OrganisationId, ReviewId, RoundId, CellId, ItemId, Position, NotApplicableReason,
                     Reasoning, Evidence, Voices, Dissent, Version, UpdatedAt, UpdatedByUserId, UpdatedByName)
SELECT
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF),
    a.OrganisationId, a.ReviewId, r.round2, a.CellId, a.ItemId, a.Position, a.NotApplicableReason,
    a.Reasoning, a.Evidence, a.Voices, a.Dissent, 1, a.UpdatedAt, a.UpdatedByUserId, a.UpdatedByName
FROM Answers AS a JOIN r ON a.RoundId = r.round1;

-- Every saved version is kept, and every save is audited: round 1's answers were each saved once.
INSERT INTO AnswerChanges (OrganisationId, AnswerId, ReviewId, RoundId, ItemId, Version, Position,
                           NotApplicableReason, Reasoning, Evidence, Voices, Dissent, ChangedAt,
                           ChangedByUserId, ChangedByName)
SELECT a.OrganisationId, a.Id, a.ReviewId, a.RoundId, a.ItemId, a.Version, a.Position, a.NotApplicableReason,
       a.Reasoning, a.Evidence, a.Voices, a.Dissent, a.UpdatedAt, a.UpdatedByUserId, a.UpdatedByName
FROM Answers AS a JOIN r ON a.RoundId = r.round1
ORDER BY a.UpdatedAt;

INSERT INTO AuditEvents (OccurredAt, OrganisationId, ActorUserId, ActorName, Action, EntityType, EntityId,
                         Detail, CorrelationId)
SELECT a.UpdatedAt, a.OrganisationId, a.UpdatedByUserId, a.UpdatedByName, 'answer.saved', 'Answer', lower(a.Id),
       a.ItemId || ': NotYetConsidered to ' || a.Position || ' (version 1)', NULL
FROM Answers AS a JOIN r ON a.RoundId = r.round1
ORDER BY a.UpdatedAt;

-- Three actions per review: open, in progress (some overdue) and done, on items the review answered.
INSERT INTO Actions (Id, OrganisationId, ReviewId, Title, OwnerUserId, OwnerName, DueDate, Status, ItemIds,
                     CreatedAt, CreatedByUserId, OpenedInRound, ClosedInRound, ClosedAt, Version)
SELECT
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF),
    w.org, r.id,
    CASE s.k WHEN 0 THEN 'Write a consent process with the parent-led charity'
             WHEN 1 THEN 'Model the cost of a county-wide offer'
             ELSE 'Invite the young people''s forum to the next design session' END,
    CASE WHEN s.k = 1 THEN w.fac END,
    CASE WHEN s.k <> 1 THEN 'Priya Shah (participation lead)' END,
    -- Due dates from 60 days ago to 60 days ahead: about half of the open ones are overdue.
    date(w.now_s - 86400 * (60 - (r.n * 7 + s.k * 40) % 120), 'unixepoch') || ' 00:00:00',
    CASE s.k WHEN 0 THEN 'Open' WHEN 1 THEN 'InProgress' ELSE 'Done' END,
    (SELECT item FROM temp.items WHERE idx = (s.k * 24 + 77 - (r.n * 7) % 77) % 77),
    datetime(r.created_s + 86400, 'unixepoch'), w.fac, 1,
    CASE WHEN s.k = 2 THEN 2 END,
    CASE WHEN s.k = 2 THEN datetime((r.created_s + w.now_s) / 2, 'unixepoch') END,
    CASE WHEN s.k = 2 THEN 2 ELSE 1 END
FROM r, who AS w, (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) AS s;

-- The denormalised counters ReviewService keeps on every save, from the current round's answers.
UPDATE Reviews
SET ConsideredCount = c.considered, ConcernCount = c.concerns
FROM (SELECT RoundId, count(*) FILTER (WHERE Position <> 'NotYetConsidered') AS considered,
             count(*) FILTER (WHERE Position = 'Concern') AS concerns
      FROM Answers GROUP BY RoundId) AS c
WHERE Reviews.CurrentRoundId = c.RoundId AND Reviews.Id IN (SELECT id FROM r);

COMMIT;

-- Fold the seeded rows into the database file, so the app starts with an empty WAL.
PRAGMA wal_checkpoint(TRUNCATE);
