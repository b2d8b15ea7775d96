-- Adds one large review to the demo organisation for bench/reports.sh: 3 rounds, every one of the
-- edition's items answered in each, with long reasoning, 4 saved versions per answer by 30 different
-- participants, and 40 actions. Read after bench/seed.sql on the same connection: it uses temp.who
-- and temp.items. Rows are written as EF Core writes them (see bench/seed.sql).

BEGIN;

CREATE TEMP TABLE big AS
SELECT
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF) AS id,
    (SELECT now_s FROM temp.who) - 86400 * 300 AS created_s;

CREATE TEMP TABLE big_rounds AS
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 3)
SELECT k AS number,
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF) AS id,
    (SELECT created_s FROM big) + 86400 * 100 * (k - 1) AS started_s
FROM n;

-- 30 participants: people who saved answers (users need not be members still; their names are kept).
CREATE TEMP TABLE people AS
WITH RECURSIVE p(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM p WHERE k < 29)
SELECT k,
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF) AS uid,
    printf('Participant %02d', k + 1) AS name
FROM p;

INSERT INTO Reviews (Id, OrganisationId, Title, Innovation, ServiceArea, SituationId, EditionId, Partners,
                     CreatedAt, CreatedByUserId, UpdatedAt, ArchivedAt, CurrentRoundId, CurrentRoundNumber,
                     CurrentStageId, ItemCount, ConsideredCount, ConcernCount)
SELECT b.id, w.org, 'Board report benchmark: shared lives expansion',
       'Shared lives carers offer family-based support to adults with learning disabilities; the pilot grows it across the county.',
       'Adults', 'situation.5', 'peisc', 'Northshire NHS Foundation Trust; a carers'' charity',
       datetime(b.created_s, 'unixepoch'), w.fac, datetime(w.now_s, 'unixepoch'), NULL,
       (SELECT id FROM big_rounds WHERE number = 3), 3, 'stage.4', (SELECT count(*) FROM temp.items), 0, 0
FROM big AS b, temp.who AS w;

INSERT INTO Rounds (Id, OrganisationId, ReviewId, Number, StageId, StartedAt, StartedByUserId, FrozenAt)
SELECT r.id, w.org, b.id, r.number, 'stage.' || (r.number + 1), datetime(r.started_s, 'unixepoch'), w.fac,
       CASE WHEN r.number < 3 THEN datetime(r.started_s + 86400 * 100, 'unixepoch') END
FROM big_rounds AS r, big AS b, temp.who AS w;

CREATE TEMP VIEW big_answers AS
SELECT r.number, r.id AS round_id, r.started_s, i.idx, i.cell, i.item, (i.idx * 7 + r.number * 3) % 20 AS k
FROM big_rounds AS r, temp.items AS i;

INSERT INTO Answers (Id, OrganisationId, ReviewId, RoundId, CellId, ItemId, Position, NotApplicableReason,
                     Reasoning, Evidence, Voices, Dissent, Version, UpdatedAt, UpdatedByUserId, UpdatedByName)
SELECT
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF),
    w.org, b.id, a.round_id, a.cell, a.item,
    CASE WHEN a.k < 8 THEN 'Addressed' WHEN a.k < 13 THEN 'PartlyAddressed' WHEN a.k < 17 THEN 'Concern'
         WHEN a.k < 18 THEN 'NotApplicable' ELSE 'NotYetConsidered' END,
    CASE WHEN a.k = 17 THEN 'Not relevant at this stage of the innovation' END,
    'Round ' || a.number || '. We discussed this item at the workshop with carers, practitioners and two adults who use the service. '
        || 'The matching process is written down and reviewed by the panel, but the team is not yet sure that people in rural areas '
        || 'are offered the same choice of carers. The evaluation partner will look at who is referred and who is matched, and we '
        || 'will revisit this at the next stage with the data. Some practitioners worry about the time the assessment takes.',
    'Workshop notes of ' || (1 + a.idx % 28) || ' March; panel minutes; the evaluation plan, section ' || (1 + a.idx % 9),
    (a.idx * 13 + a.number) % 64,
    CASE WHEN a.k % 4 = 0 THEN 'Two members think the pilot should wait for the carers'' charity to agree the training plan.' END,
    4, datetime(a.started_s + 3600 * (1 + a.idx), 'unixepoch'),
    p.uid, p.name
FROM big_answers AS a, big AS b, temp.who AS w
JOIN people AS p ON p.k = (a.idx * 7 + a.number * 3 + 33) % 30;

-- Four saved versions of each answer, by four of the participants.
INSERT INTO AnswerChanges (OrganisationId, AnswerId, ReviewId, RoundId, ItemId, Version, Position,
                           NotApplicableReason, Reasoning, Evidence, Voices, Dissent, ChangedAt,
                           ChangedByUserId, ChangedByName)
SELECT a.OrganisationId, a.Id, a.ReviewId, a.RoundId, a.ItemId, v.k, a.Position, a.NotApplicableReason,
       a.Reasoning, a.Evidence, a.Voices, a.Dissent, datetime(a.UpdatedAt, '-' || (4 - v.k) || ' hours'),
       p.uid, p.name
FROM Answers AS a
JOIN big AS b ON a.ReviewId = b.id
JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) AS v
JOIN temp.items AS i ON i.item = a.ItemId
JOIN people AS p ON p.k = (i.idx * 7 + v.k * 11) % 30;

INSERT INTO Actions (Id, OrganisationId, ReviewId, Title, OwnerUserId, OwnerName, DueDate, Status, ItemIds,
                     CreatedAt, CreatedByUserId, OpenedInRound, ClosedInRound, ClosedAt, Version)
SELECT
    printf('%08X-%04X-4%03X-%04X-%012X', random() & 0xFFFFFFFF, random() & 0xFFFF, random() & 0xFFF,
           0x8000 | (random() & 0x3FFF), random() & 0xFFFFFFFFFFFF),
    w.org, b.id, 'Action ' || (s.k + 1) || ': agree with the carers'' charity how matching is checked in each locality',
    NULL, (SELECT name FROM people WHERE k = s.k % 30),
    date(w.now_s - 86400 * (60 - (s.k * 7) % 120), 'unixepoch') || ' 00:00:00',
    CASE s.k % 4 WHEN 0 THEN 'Open' WHEN 1 THEN 'InProgress' WHEN 2 THEN 'Done' ELSE 'Open' END,
    (SELECT item FROM temp.items WHERE idx = (s.k * 5) % 77) || ' ' || (SELECT item FROM temp.items WHERE idx = (s.k * 11 + 3) % 77),
    datetime(b.created_s + 86400 * (1 + s.k * 5), 'unixepoch'), w.fac, 1 + s.k % 3,
    CASE WHEN s.k % 4 = 2 THEN 3 END,
    CASE WHEN s.k % 4 = 2 THEN datetime(w.now_s - 86400, 'unixepoch') END, 1
FROM big AS b, temp.who AS w,
     (WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 39) SELECT k FROM n) AS s;

UPDATE Reviews
SET ConsideredCount = (SELECT count(*) FROM Answers WHERE RoundId = Reviews.CurrentRoundId AND Position <> 'NotYetConsidered'),
    ConcernCount = (SELECT count(*) FROM Answers WHERE RoundId = Reviews.CurrentRoundId AND Position = 'Concern')
WHERE Id = (SELECT id FROM big);

COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);

SELECT 'big review ' || (SELECT id FROM big);
