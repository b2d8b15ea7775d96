using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;
using Peisc.Web.Web;

namespace Peisc.Web.Api;

/// <summary>
/// Reviews, rounds, answers and actions for programs, with a personal access token. The writes go
/// through ReviewService and ReviewRules, as the pages' do, so both keep the same rules and records.
/// </summary>
public static class ReviewsApi
{
    public const int MaxPageSize = 100;

    // What callers send: input models only, so an extra field (organisationId, version on create,
    // createdBy...) never reaches an entity (trust.md A5).
    public sealed record CreateReviewRequest(
        string? Title,
        string? Innovation,
        ServiceArea? ServiceArea,
        string? SituationId,
        string? StageId,
        string? Partners
    );

    public sealed record UpdateReviewRequest(
        string? Title,
        string? Innovation,
        ServiceArea? ServiceArea,
        string? SituationId,
        string? Partners
    );

    public sealed record StartRoundRequest(string? StageId);

    public sealed record AnswerRequest(
        Position? Position,
        string? NotApplicableReason,
        string? Reasoning,
        string? Evidence,
        IReadOnlyList<Voices>? Voices,
        string? Dissent,
        int? Version
    );

    public sealed record CreateActionRequest(
        string? Title,
        Guid? OwnerUserId,
        string? OwnerName,
        DateOnly? DueDate,
        ActionStatus? Status,
        IReadOnlyList<string>? ItemIds
    );

    public sealed record UpdateActionRequest(
        string? Title,
        Guid? OwnerUserId,
        string? OwnerName,
        DateOnly? DueDate,
        ActionStatus? Status,
        IReadOnlyList<string>? ItemIds,
        int? Version
    );

    // What they get back.
    public sealed record ReviewResponse(
        Guid Id,
        string Title,
        string Innovation,
        ServiceArea ServiceArea,
        string SituationId,
        string? Partners,
        string EditionId,
        string StageId,
        int CurrentRound,
        int ItemCount,
        int ConsideredCount,
        int ConcernCount,
        DateTime CreatedAt,
        DateTime UpdatedAt,
        DateTime? ArchivedAt
    );

    public sealed record ReviewList(
        IReadOnlyList<ReviewResponse> Items,
        int Page,
        int PageSize,
        int TotalCount
    );

    public sealed record RoundResponse(
        int Number,
        string StageId,
        DateTime StartedAt,
        DateTime? FrozenAt,
        bool Current
    );

    public sealed record AnswerResponse(
        string ItemId,
        string CellId,
        int Round,
        Position Position,
        string? NotApplicableReason,
        string? Reasoning,
        string? Evidence,
        IReadOnlyList<Voices> Voices,
        string? Dissent,
        int Version,
        DateTime? UpdatedAt,
        string? UpdatedBy
    );

    public sealed record AnswerSheet(
        int Round,
        string StageId,
        bool Frozen,
        IReadOnlyList<AnswerResponse> Answers
    );

    public sealed record ActionResponse(
        Guid Id,
        string Title,
        Guid? OwnerUserId,
        string? OwnerName,
        DateOnly? DueDate,
        ActionStatus Status,
        IReadOnlyList<string> ItemIds,
        int OpenedInRound,
        int? ClosedInRound,
        DateTime CreatedAt,
        DateTime? ClosedAt,
        int Version
    );

    public static void MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/reviews")
            .WithTags("Reviews")
            .RequireAuthorization(Policies.AccessToken)
            .AddEndpointFilter(NulFreeInput.RefuseInApiBodies)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group
            .MapGet("/", ListAsync)
            .WithName("ListReviews")
            .WithSummary(
                "The organisation's reviews, most recently changed first, a page at a time."
            );
        group
            .MapPost("/", CreateAsync)
            .WithName("CreateReview")
            .WithSummary(
                "Starts a review, with its first round, on the organisation's default edition. Owners and facilitators."
            )
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group
            .MapGet("/{id:guid}", GetAsync)
            .WithName("GetReview")
            .WithSummary("One review: its details, current stage and progress.");
        group
            .MapPut("/{id:guid}", UpdateAsync)
            .WithName("UpdateReview")
            .WithSummary(
                "Changes a review's details (the stage changes by starting a round). Owners and facilitators."
            )
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group
            .MapGet("/{id:guid}/rounds", ListRoundsAsync)
            .WithName("ListRounds")
            .WithSummary("The review's rounds, first to current.");
        group
            .MapPost("/{id:guid}/rounds", StartRoundAsync)
            .WithName("StartRound")
            .WithSummary(
                "Starts a new round at a stage: the current round is frozen and its answers carried forward. Owners and facilitators."
            )
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group
            .MapGet("/{id:guid}/answers", ListAnswersAsync)
            .WithName("ListAnswers")
            .WithSummary(
                "Every item of the review's edition with its answer in the current round (or ?round=N); unanswered items are NotYetConsidered at version 0."
            );
        group
            .MapGet("/{id:guid}/answers/{itemId}", GetAnswerAsync)
            .WithName("GetAnswer")
            .WithSummary("One item's answer in the current round (or ?round=N).");
        group
            .MapPut("/{id:guid}/answers/{itemId}", SaveAnswerAsync)
            .WithName("SaveAnswer")
            .WithSummary(
                "Saves one item's answer in the current round. Send the version you read (0 if unanswered): if someone saved since, the answer is 409 with the current answer. Contributors and above."
            )
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group
            .MapGet("/{id:guid}/actions", ListActionsAsync)
            .WithName("ListActions")
            .WithSummary("The review's action plan.");
        group
            .MapPost("/{id:guid}/actions", CreateActionAsync)
            .WithName("CreateAction")
            .WithSummary(
                "Raises an action, owned by a member (ownerUserId) or a named person (ownerName). Contributors and above."
            )
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group
            .MapPut("/{id:guid}/actions/{actionId:guid}", UpdateActionAsync)
            .WithName("UpdateAction")
            .WithSummary(
                "Changes an action. Send the version you read: if someone saved since, the answer is 409 with the current action. Contributors and above."
            )
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>Describes the token scheme in the OpenAPI document and marks the operations that need it.</summary>
    public static Task DescribeAccessTokensAsync(
        OpenApiDocument document,
        OpenApiDocumentTransformerContext context,
        CancellationToken ct
    )
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[AccessTokenAuthenticationHandler.SchemeName] =
            new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description =
                    "A personal access token (peisc_...), created under Your account > API access tokens. It acts for its person in one organisation.",
            };
        foreach (var (path, item) in document.Paths)
        {
            if (
                !(
                    path.StartsWith("/api/v1/reviews", StringComparison.Ordinal)
                    || path.StartsWith("/api/v1/exports", StringComparison.Ordinal)
                ) || item.Operations is null
            )
            {
                continue;
            }
            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(
                    new OpenApiSecurityRequirement
                    {
                        [
                            new OpenApiSecuritySchemeReference(
                                AccessTokenAuthenticationHandler.SchemeName,
                                document
                            )
                        ] = [],
                    }
                );
            }
        }
        return Task.CompletedTask;
    }

    // ---- Reviews --------------------------------------------------------------------------

    private static async Task<Results<Ok<ReviewList>, ValidationProblem>> ListAsync(
        AppDbContext db,
        int? page,
        int? pageSize,
        string? stage,
        bool? archived,
        CancellationToken ct
    )
    {
        var errors = new List<FieldError>();
        if (page is < 1 or > 1_000_000)
        {
            errors.Add(new("Page", "The page must be a number from 1 to 1,000,000"));
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add(new("PageSize", $"The page size must be a number from 1 to {MaxPageSize}"));
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        var number = page ?? 1;
        var size = pageSize ?? 20;

        var query = db.Reviews.AsNoTracking();
        if (!string.IsNullOrEmpty(stage))
        {
            query = query.Where(r => r.CurrentStageId == stage);
        }
        if (archived is { } wanted)
        {
            query = wanted
                ? query.Where(r => r.ArchivedAt != null)
                : query.Where(r => r.ArchivedAt == null);
        }
        var total = await query.CountAsync(ct);
        var reviews = await query
            .OrderByDescending(r => r.UpdatedAt)
            .ThenBy(r => r.Id)
            .Skip((number - 1) * size)
            .Take(size)
            .ToListAsync(ct);
        return TypedResults.Ok(
            new ReviewList([.. reviews.Select(r => ToResponse(r))], number, size, total)
        );
    }

    private static async Task<
        Results<Created<ReviewResponse>, ValidationProblem, ProblemHttpResult>
    > CreateAsync(
        CreateReviewRequest request,
        AppDbContext db,
        CurrentMember member,
        EditionResolver editions,
        FrameworkCatalog catalog,
        ReviewService reviews,
        AuditLog audit,
        HttpContext http,
        CancellationToken ct
    )
    {
        if (!member.Has(MemberRole.Facilitator))
        {
            return await ForbiddenAsync(audit, http, "Only owners and facilitators start reviews.");
        }
        var editionId = await db
            .Organisations.Where(o => o.Id == member.OrganisationId)
            .Select(o => o.DefaultEditionId)
            .SingleAsync(ct);
        var edition = await editions.FindAsync(editionId, ct) ?? catalog.Default;
        var input = new ReviewInput(
            request.Title,
            request.Innovation,
            request.ServiceArea,
            request.SituationId,
            request.StageId,
            request.Partners
        );
        var errors = ReviewRules.Check(input, edition);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        var review = await reviews.CreateAsync(input, edition, ct);
        return TypedResults.Created($"/api/v1/reviews/{review.Id}", ToResponse(review));
    }

    private static async Task<Results<Ok<ReviewResponse>, ProblemHttpResult>> GetAsync(
        Guid id,
        AppDbContext db,
        CancellationToken ct
    ) =>
        await FindReviewAsync(db, id, track: false, ct) is { } review
            ? TypedResults.Ok(ToResponse(review))
            : ReviewNotFound();

    private static async Task<
        Results<Ok<ReviewResponse>, ValidationProblem, ProblemHttpResult>
    > UpdateAsync(
        Guid id,
        UpdateReviewRequest request,
        AppDbContext db,
        CurrentMember member,
        EditionResolver editions,
        ReviewService reviews,
        AuditLog audit,
        HttpContext http,
        CancellationToken ct
    )
    {
        if (await FindReviewAsync(db, id, track: true, ct) is not { } review)
        {
            return ReviewNotFound();
        }
        if (!member.Has(MemberRole.Facilitator))
        {
            return await ForbiddenAsync(
                audit,
                http,
                "Only owners and facilitators change a review's details."
            );
        }
        // As on the review's manage page, details can be corrected while the review is archived.
        var edition = await editions.GetAsync(review.EditionId, ct);
        var input = new ReviewInput(
            request.Title,
            request.Innovation,
            request.ServiceArea,
            request.SituationId,
            review.CurrentStageId,
            request.Partners
        );
        var errors = ReviewRules.Check(input, edition);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        await reviews.UpdateDetailsAsync(review, input, ct);
        return TypedResults.Ok(ToResponse(review));
    }

    // ---- Rounds ---------------------------------------------------------------------------

    private static async Task<Results<Ok<List<RoundResponse>>, ProblemHttpResult>> ListRoundsAsync(
        Guid id,
        AppDbContext db,
        CancellationToken ct
    )
    {
        if (await FindReviewAsync(db, id, track: false, ct) is not { } review)
        {
            return ReviewNotFound();
        }
        var rounds = await db
            .Rounds.AsNoTracking()
            .Where(r => r.ReviewId == review.Id)
            .OrderBy(r => r.Number)
            .ToListAsync(ct);
        return TypedResults.Ok(rounds.Select(r => ToResponse(r, review)).ToList());
    }

    private static async Task<
        Results<Created<RoundResponse>, ValidationProblem, ProblemHttpResult>
    > StartRoundAsync(
        Guid id,
        StartRoundRequest request,
        AppDbContext db,
        CurrentMember member,
        EditionResolver editions,
        ReviewService reviews,
        AuditLog audit,
        HttpContext http,
        CancellationToken ct
    )
    {
        if (await FindReviewAsync(db, id, track: true, ct) is not { } review)
        {
            return ReviewNotFound();
        }
        if (!member.Has(MemberRole.Facilitator))
        {
            return await ForbiddenAsync(audit, http, "Only owners and facilitators start rounds.");
        }
        if (review.ArchivedAt is not null)
        {
            return Archived();
        }
        var edition = await editions.GetAsync(review.EditionId, ct);
        if (edition.Stages.All(s => s.Id != request.StageId))
        {
            return Invalid([new("StageId", "Select the stage the innovation is at")]);
        }
        try
        {
            var round = await reviews.StartRoundAsync(review, request.StageId!, ct);
            return TypedResults.Created(
                $"/api/v1/reviews/{review.Id}/answers?round={round.Number}",
                ToResponse(round, review)
            );
        }
        catch (DbUpdateException)
        {
            // Two rounds started at once: the unique round number lets only one through.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Someone else started a round at the same time",
                detail: "Read the review's rounds again before starting another."
            );
        }
    }

    // ---- Answers --------------------------------------------------------------------------

    private static async Task<Results<Ok<AnswerSheet>, ProblemHttpResult>> ListAnswersAsync(
        Guid id,
        int? round,
        AppDbContext db,
        EditionResolver editions,
        CancellationToken ct
    )
    {
        if (await FindReviewAsync(db, id, track: false, ct) is not { } review)
        {
            return ReviewNotFound();
        }
        if (await FindRoundAsync(db, review, round, ct) is not { } found)
        {
            return RoundNotFound(round);
        }
        var edition = await editions.GetAsync(review.EditionId, ct);
        var answers = await db
            .Answers.AsNoTracking()
            .Where(a => a.RoundId == found.Id)
            .ToDictionaryAsync(a => a.ItemId, ct);
        var sheet = edition
            .AllCells.SelectMany(c =>
                c.Items.Select(i => ToResponse(answers.GetValueOrDefault(i.Id), c, i, found))
            )
            .ToList();
        return TypedResults.Ok(
            new AnswerSheet(found.Number, found.StageId, found.FrozenAt is not null, sheet)
        );
    }

    private static async Task<Results<Ok<AnswerResponse>, ProblemHttpResult>> GetAnswerAsync(
        Guid id,
        string itemId,
        int? round,
        AppDbContext db,
        EditionResolver editions,
        CancellationToken ct
    )
    {
        if (await FindReviewAsync(db, id, track: false, ct) is not { } review)
        {
            return ReviewNotFound();
        }
        if (await FindRoundAsync(db, review, round, ct) is not { } chosen)
        {
            return RoundNotFound(round);
        }
        var edition = await editions.GetAsync(review.EditionId, ct);
        if (FindItem(edition, itemId) is not { } found)
        {
            return ItemNotFound(itemId);
        }
        var (cell, item) = found;
        var answer = await db
            .Answers.AsNoTracking()
            .SingleOrDefaultAsync(a => a.RoundId == chosen.Id && a.ItemId == item.Id, ct);
        return TypedResults.Ok(ToResponse(answer, cell, item, chosen));
    }

    private static async Task<
        Results<Ok<AnswerResponse>, ValidationProblem, ProblemHttpResult>
    > SaveAnswerAsync(
        Guid id,
        string itemId,
        AnswerRequest request,
        AppDbContext db,
        CurrentMember member,
        EditionResolver editions,
        ReviewService reviews,
        AuditLog audit,
        HttpContext http,
        CancellationToken ct
    )
    {
        // The review and its current round in one query: this is the API's busiest write.
        var found = await (
            from r in db.Reviews.AsNoTracking()
            where r.Id == id
            join current in db.Rounds.AsNoTracking() on r.CurrentRoundId equals current.Id
            select new { Review = r, Round = current }
        ).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return ReviewNotFound();
        }
        var (review, round) = (found.Review, found.Round);
        if (!member.Has(MemberRole.Contributor))
        {
            return await ForbiddenAsync(
                audit,
                http,
                "Viewers can read answers but not record them."
            );
        }
        var edition = await editions.GetAsync(review.EditionId, ct);
        if (FindItem(edition, itemId) is not { } located)
        {
            return ItemNotFound(itemId);
        }
        var (cell, item) = located;
        var input = new AnswerInput(
            request.Position ?? Position.NotYetConsidered,
            request.NotApplicableReason,
            request.Reasoning,
            request.Evidence,
            (request.Voices ?? []).Aggregate(Voices.None, (all, v) => all | v),
            request.Dissent
        );
        // Everything wrong at once: the fields the API requires, then the rules the pages share.
        var errors = ReviewRules.Check(input);
        if (request.Position is null)
        {
            errors.Insert(0, new("Position", "Select where the team stands"));
        }
        if (request.Version is null or < 0)
        {
            errors.Add(
                new(
                    "Version",
                    "Send the version of the answer you started from: 0 for an item not yet answered"
                )
            );
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        var outcome = await reviews.SaveAnswerAsync(
            review,
            round,
            cell,
            item,
            input,
            request.Version!.Value,
            ct
        );
        return outcome switch
        {
            SaveOutcome.Saved saved => TypedResults.Ok(ToResponse(saved.Answer, cell, item, round)),
            SaveOutcome.Conflict conflict => Conflict(
                "Someone else saved this answer first",
                $"Your answer was not saved. The answer is now at version {conflict.Current?.Version ?? 0}: "
                    + "read it, decide what to keep, and send your answer again with that version.",
                ToResponse(conflict.Current, cell, item, round)
            ),
            SaveOutcome.Invalid invalid => Invalid(invalid.Errors),
            _ => throw new InvalidOperationException("Unknown save outcome."),
        };
    }

    // ---- Actions --------------------------------------------------------------------------

    private static async Task<
        Results<Ok<List<ActionResponse>>, ProblemHttpResult>
    > ListActionsAsync(Guid id, AppDbContext db, CancellationToken ct)
    {
        if (await FindReviewAsync(db, id, track: false, ct) is not { } review)
        {
            return ReviewNotFound();
        }
        var actions = await db
            .Actions.AsNoTracking()
            .Where(a => a.ReviewId == review.Id)
            .OrderBy(a => a.CreatedAt)
            .ThenBy(a => a.Id)
            .ToListAsync(ct);
        var owners = await OwnerNamesAsync(db, actions, ct);
        return TypedResults.Ok(actions.Select(a => ToResponse(a, owners)).ToList());
    }

    private static async Task<
        Results<Created<ActionResponse>, ValidationProblem, ProblemHttpResult>
    > CreateActionAsync(
        Guid id,
        CreateActionRequest request,
        AppDbContext db,
        CurrentMember member,
        EditionResolver editions,
        ReviewService reviews,
        AuditLog audit,
        HttpContext http,
        CancellationToken ct
    )
    {
        if (await FindReviewAsync(db, id, track: true, ct) is not { } review)
        {
            return ReviewNotFound();
        }
        if (!member.Has(MemberRole.Contributor))
        {
            return await ForbiddenAsync(
                audit,
                http,
                "Viewers can read actions but not raise them."
            );
        }
        if (review.ArchivedAt is not null)
        {
            return Archived();
        }
        var input = new ActionInput(
            request.Title,
            request.OwnerUserId,
            request.OwnerName,
            request.DueDate,
            request.Status ?? ActionStatus.Open,
            request.ItemIds ?? []
        );
        var errors = await CheckAsync(input, review, db, editions, ct);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        var action = await reviews.CreateActionAsync(review, input, ct);
        return TypedResults.Created(
            $"/api/v1/reviews/{review.Id}/actions/{action.Id}",
            ToResponse(action, await OwnerNamesAsync(db, [action], ct))
        );
    }

    private static async Task<
        Results<Ok<ActionResponse>, ValidationProblem, ProblemHttpResult>
    > UpdateActionAsync(
        Guid id,
        Guid actionId,
        UpdateActionRequest request,
        AppDbContext db,
        CurrentMember member,
        EditionResolver editions,
        ReviewService reviews,
        AuditLog audit,
        HttpContext http,
        CancellationToken ct
    )
    {
        if (await FindReviewAsync(db, id, track: true, ct) is not { } review)
        {
            return ReviewNotFound();
        }
        var action = await db.Actions.SingleOrDefaultAsync(
            a => a.Id == actionId && a.ReviewId == review.Id,
            ct
        );
        if (action is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No such action",
                detail: "This review has no action with that id."
            );
        }
        if (!member.Has(MemberRole.Contributor))
        {
            return await ForbiddenAsync(
                audit,
                http,
                "Viewers can read actions but not change them."
            );
        }
        if (review.ArchivedAt is not null)
        {
            return Archived();
        }
        var input = new ActionInput(
            request.Title,
            request.OwnerUserId,
            request.OwnerName,
            request.DueDate,
            request.Status ?? ActionStatus.Open,
            request.ItemIds ?? []
        );
        var errors = await CheckAsync(input, review, db, editions, ct);
        if (request.Status is null)
        {
            errors.Add(new("Status", "Select a status"));
        }
        if (request.Version is null)
        {
            errors.Add(new("Version", "Send the version of the action you started from"));
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        if (await reviews.UpdateActionAsync(review, action, input, request.Version!.Value, ct))
        {
            return TypedResults.Ok(ToResponse(action, await OwnerNamesAsync(db, [action], ct)));
        }
        var current = await db.Actions.AsNoTracking().SingleAsync(a => a.Id == actionId, ct);
        return Conflict(
            "Someone else changed this action first",
            $"Your change was not saved. The action is now at version {current.Version}: "
                + "read it, decide what to keep, and send your change again with that version.",
            ToResponse(current, await OwnerNamesAsync(db, [current], ct))
        );
    }

    // ---- Shared -----------------------------------------------------------------------------

    // Through the tenant filter: another organisation's review is simply not there (trust.md A2).
    private static Task<Review?> FindReviewAsync(
        AppDbContext db,
        Guid id,
        bool track,
        CancellationToken ct
    ) => (track ? db.Reviews : db.Reviews.AsNoTracking()).SingleOrDefaultAsync(r => r.Id == id, ct);

    private static Task<Round?> FindRoundAsync(
        AppDbContext db,
        Review review,
        int? number,
        CancellationToken ct
    ) =>
        number is { } n
            ? db
                .Rounds.AsNoTracking()
                .SingleOrDefaultAsync(r => r.ReviewId == review.Id && r.Number == n, ct)
            : db.Rounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == review.CurrentRoundId, ct);

    private static (Cell Cell, Item Item)? FindItem(FrameworkEdition edition, string itemId)
    {
        foreach (var cell in edition.AllCells)
        {
            if (cell.Items.FirstOrDefault(i => i.Id == itemId) is { } item)
            {
                return (cell, item);
            }
        }
        return null;
    }

    private static async Task<List<FieldError>> CheckAsync(
        ActionInput input,
        Review review,
        AppDbContext db,
        EditionResolver editions,
        CancellationToken ct
    )
    {
        var edition = await editions.GetAsync(review.EditionId, ct);
        var errors = ReviewRules.Check(
            input,
            edition.AllCells.SelectMany(c => c.Items).Select(i => i.Id).ToHashSet()
        );
        // A member owner must be in this organisation: the membership is read through the tenant filter.
        if (
            input.OwnerUserId is { } owner
            && !await db.Memberships.AnyAsync(m => m.UserId == owner, ct)
        )
        {
            errors.Add(
                new(
                    "OwnerUserId",
                    "Choose an owner who is a member of the organisation, or name one"
                )
            );
        }
        return errors;
    }

    private static async Task<Dictionary<Guid, string>> OwnerNamesAsync(
        AppDbContext db,
        IReadOnlyCollection<ReviewAction> actions,
        CancellationToken ct
    )
    {
        var ids = actions.Where(a => a.OwnerUserId is not null).Select(a => a.OwnerUserId!.Value);
        var distinct = ids.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return [];
        }
        return await db
            .Memberships.AsNoTracking()
            .Where(m => distinct.Contains(m.UserId))
            .Select(m => new { m.UserId, m.User!.DisplayName })
            .ToDictionaryAsync(m => m.UserId, m => m.DisplayName, ct);
    }

    private static async Task<ProblemHttpResult> ForbiddenAsync(
        AuditLog audit,
        HttpContext http,
        string detail
    )
    {
        // trust.md R1: a refused request is part of the record.
        await audit.WriteAsync(
            AuditActions.AccessDenied,
            detail: $"{http.Request.Method} {http.Request.Path}"
        );
        return TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Your role does not allow this",
            detail: detail
        );
    }

    private static ValidationProblem Invalid(IEnumerable<FieldError> errors) =>
        TypedResults.ValidationProblem(
            errors
                .GroupBy(e => JsonNamingPolicy.CamelCase.ConvertName(e.Field))
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: "Some of what you sent needs correcting"
        );

    private static ValidationProblem Archived() =>
        Invalid([new("Review", "This review is archived: reopen it before changing it")]);

    private static ProblemHttpResult Conflict(string title, string detail, object current) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: title,
            detail: detail,
            extensions: new Dictionary<string, object?> { ["current"] = current }
        );

    private static ProblemHttpResult ReviewNotFound() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "No such review",
            detail: "Your organisation has no review with that id."
        );

    private static ProblemHttpResult RoundNotFound(int? number) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "No such round",
            detail: $"This review has no round {number}."
        );

    private static ProblemHttpResult ItemNotFound(string itemId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "No such item",
            detail: $"The review's framework edition has no item '{itemId}'."
        );

    // SQLite gives back DateTimes of unspecified kind; every time we store is UTC.
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    private static ReviewResponse ToResponse(Review r) =>
        new(
            r.Id,
            r.Title,
            r.Innovation,
            r.ServiceArea,
            r.SituationId,
            r.Partners,
            r.EditionId,
            r.CurrentStageId,
            r.CurrentRoundNumber,
            r.ItemCount,
            r.ConsideredCount,
            r.ConcernCount,
            Utc(r.CreatedAt),
            Utc(r.UpdatedAt),
            Utc(r.ArchivedAt)
        );

    private static RoundResponse ToResponse(Round r, Review review) =>
        new(r.Number, r.StageId, Utc(r.StartedAt), Utc(r.FrozenAt), r.Id == review.CurrentRoundId);

    private static AnswerResponse ToResponse(Answer? a, Cell cell, Item item, Round round) =>
        new(
            item.Id,
            cell.Id,
            round.Number,
            a?.Position ?? Position.NotYetConsidered,
            a?.NotApplicableReason,
            a?.Reasoning,
            a?.Evidence,
            a is null
                ? []
                :
                [
                    .. Labels
                        .VoiceLabels.Where(v => a.Voices.HasFlag(v.Voice))
                        .Select(v => v.Voice),
                ],
            a?.Dissent,
            a?.Version ?? 0,
            Utc(a?.UpdatedAt),
            a?.UpdatedByName
        );

    private static ActionResponse ToResponse(ReviewAction a, Dictionary<Guid, string> owners) =>
        new(
            a.Id,
            a.Title,
            a.OwnerUserId,
            a.OwnerUserId is { } owner ? owners.GetValueOrDefault(owner) : a.OwnerName,
            a.DueDate is { } due ? DateOnly.FromDateTime(due) : null,
            a.Status,
            a.ItemIds.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            a.OpenedInRound,
            a.ClosedInRound,
            Utc(a.CreatedAt),
            Utc(a.ClosedAt),
            a.Version
        );
}
