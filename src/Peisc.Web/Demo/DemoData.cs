using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.Framework;
using Peisc.Web.Reviews;

namespace Peisc.Web.Demo;

public sealed class DemoOptions
{
    /// <summary>Seeds a demo organisation with a member in each role, so a newcomer can explore at once.</summary>
    public bool Enabled { get; set; }

    public string Password { get; set; } = "demo-password-2026";
}

/// <summary>The demo switch: Demo:Enabled=true. Never turn it on for real data.</summary>
public static class DemoData
{
    public const string OrganisationName = "Northshire Council (demo)";
    public const string EmailDomain = "demo.peisc.example";

    public static readonly (string Name, string Local, MemberRole Role)[] People =
    [
        ("Olu Owner", "owner", MemberRole.Owner),
        ("Fran Facilitator", "facilitator", MemberRole.Facilitator),
        ("Chris Contributor", "contributor", MemberRole.Contributor),
        ("Vic Viewer", "viewer", MemberRole.Viewer),
    ];

    public static IServiceCollection AddPeiscDemoData(
        this IServiceCollection services,
        IConfiguration configuration
    )
    {
        services.AddOptions<DemoOptions>().BindConfiguration("Demo");
        if (configuration.GetValue<bool>("Demo:Enabled"))
        {
            // Demo owners sign in with a password alone, so that exploring needs no phone.
            services.PostConfigure<SecurityOptions>(o => o.RequireTwoFactorForOwners = false);
        }
        return services;
    }

    public static async Task SeedDemoDataAsync(this WebApplication app)
    {
        var options = app.Configuration.GetSection("Demo").Get<DemoOptions>() ?? new();
        if (!options.Enabled)
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync($"owner@{EmailDomain}") is not null)
        {
            return;
        }
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(),
            Name = OrganisationName,
            CreatedAt = now,
        };
        db.UseOrganisation(organisation.Id);
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();

        foreach (var (name, local, role) in People)
        {
            var user = new AppUser
            {
                Id = Guid.NewGuid(),
                UserName = $"{local}@{EmailDomain}",
                Email = $"{local}@{EmailDomain}",
                EmailConfirmed = true,
                DisplayName = name,
                CreatedAt = now,
                LastOrganisationId = organisation.Id,
            };
            var result = await users.CreateAsync(user, options.Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    "Demo data: " + string.Join("; ", result.Errors.Select(e => e.Description))
                );
            }
            db.Memberships.Add(
                new Membership
                {
                    Id = Guid.NewGuid(),
                    OrganisationId = organisation.Id,
                    UserId = user.Id,
                    Role = role,
                    CreatedAt = now,
                }
            );
        }
        await db.SaveChangesAsync();
        await SeedSampleReviewAsync(scope.ServiceProvider, organisation);
        app.Logger.LogInformation(
            "Demo data: {Organisation} with owner@, facilitator@, contributor@ and viewer@{Domain}",
            OrganisationName,
            EmailDomain
        );
    }

    /// <summary>A review with two rounds, answers and actions, written as a team would have left it.</summary>
    private static async Task SeedSampleReviewAsync(
        IServiceProvider services,
        Organisation organisation
    )
    {
        var db = services.GetRequiredService<AppDbContext>();
        var member = services.GetRequiredService<CurrentMember>();
        var facilitator = await db.Users.SingleAsync(u => u.Email == $"facilitator@{EmailDomain}");
        member.UserId = facilitator.Id;
        member.OrganisationId = organisation.Id;
        member.OrganisationName = organisation.Name;
        member.DisplayName = facilitator.DisplayName;
        member.Role = MemberRole.Facilitator;

        var edition = services.GetRequiredService<FrameworkCatalog>().Default;
        var reviews = services.GetRequiredService<ReviewService>();
        var review = await reviews.CreateAsync(
            new ReviewInput(
                "Family group conferencing at the edge of care",
                "Independent coordinators help families draw up their own plan with their wider network before care proceedings are considered. Funded for two years from the transformation budget.",
                ServiceArea.Children,
                "situation.5",
                "stage.2",
                "Northshire NHS Foundation Trust; Northshire Family Voice (parent-led charity)"
            ),
            edition
        );

        async Task Answer(
            string itemId,
            Position position,
            string reasoning,
            Voices voices = Voices.None,
            string? dissent = null,
            string? evidence = null
        )
        {
            var current = await db.Reviews.SingleAsync(r => r.Id == review.Id);
            var round = await db.Rounds.SingleAsync(r => r.Id == current.CurrentRoundId);
            var cell = edition.AllCells.Single(c => c.Items.Any(i => i.Id == itemId));
            var version = await db
                .Answers.Where(a => a.RoundId == round.Id && a.ItemId == itemId)
                .Select(a => a.Version)
                .SingleOrDefaultAsync();
            await reviews.SaveAnswerAsync(
                current,
                round,
                cell,
                cell.Items.Single(i => i.Id == itemId),
                new AnswerInput(
                    position,
                    position == Position.NotApplicable ? "Not relevant at this stage" : null,
                    reasoning,
                    evidence,
                    voices,
                    dissent
                ),
                version
            );
            db.ChangeTracker.Clear();
        }

        await Answer(
            "overarching.innovation.1",
            Position.Addressed,
            "The aim is agreed with families: fewer children entering care without their wider family being asked first.",
            Voices.Families | Voices.Practitioners,
            evidence: "Design workshop notes, March"
        );
        await Answer(
            "overarching.process.2",
            Position.PartlyAddressed,
            "Design sessions included practitioners and two parents; no young people yet.",
            Voices.Families | Voices.Practitioners
        );
        await Answer(
            "human-rights.innovation.1",
            Position.Concern,
            "Funding covers two localities only, so families elsewhere in the county cannot get a conference.",
            Voices.Practitioners,
            "The service manager sees a phased roll-out as fair."
        );
        await Answer(
            "human-rights.process.1",
            Position.Concern,
            "We have no consent process yet for families who are already in pre-proceedings.",
            Voices.Practitioners
        );
        await Answer(
            "human-rights.process.2",
            Position.PartlyAddressed,
            "Northshire Family Voice co-design two sessions; young people's forum not yet involved.",
            Voices.Families | Voices.Partners
        );
        await Answer(
            "social-justice.innovation.1",
            Position.Concern,
            "The referral threshold may exclude families who are not yet known to children's social care."
        );
        await Answer(
            "social-justice.process.6",
            Position.Addressed,
            "A six-month test phase is funded before any decision to embed.",
            evidence: "Cabinet paper, section 4"
        );
        await Answer(
            "professional-integrity.innovation.1",
            Position.PartlyAddressed,
            "Coordinators are not the allocated social worker; roles are described but not yet agreed with the union.",
            Voices.Practitioners
        );

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var tracked = await db.Reviews.SingleAsync(r => r.Id == review.Id);
        await reviews.CreateActionAsync(
            tracked,
            new ActionInput(
                "Write a consent process with Northshire Family Voice",
                null,
                "Priya Shah (participation lead)",
                today.AddDays(-7),
                ActionStatus.InProgress,
                ["human-rights.process.1"]
            )
        );
        await reviews.CreateActionAsync(
            tracked,
            new ActionInput(
                "Model the cost of a county-wide offer",
                facilitator.Id,
                null,
                today.AddDays(30),
                ActionStatus.Open,
                ["human-rights.innovation.1", "social-justice.innovation.1"]
            )
        );
        var done = await reviews.CreateActionAsync(
            tracked,
            new ActionInput(
                "Invite the young people's forum to the next design session",
                facilitator.Id,
                null,
                today.AddDays(-14),
                ActionStatus.Open,
                ["human-rights.process.2"]
            )
        );

        db.ChangeTracker.Clear();
        tracked = await db.Reviews.SingleAsync(r => r.Id == review.Id);
        await reviews.StartRoundAsync(tracked, "stage.3");
        db.ChangeTracker.Clear();

        var action = await db.Actions.SingleAsync(a => a.Id == done.Id);
        tracked = await db.Reviews.SingleAsync(r => r.Id == review.Id);
        await reviews.UpdateActionAsync(
            tracked,
            action,
            new ActionInput(
                action.Title,
                action.OwnerUserId,
                null,
                today.AddDays(-14),
                ActionStatus.Done,
                ["human-rights.process.2"]
            ),
            action.Version
        );
        db.ChangeTracker.Clear();

        await Answer(
            "human-rights.process.2",
            Position.Addressed,
            "The young people's forum joined the design group and reviewed the family leaflet.",
            Voices.ChildrenAndYoungPeople | Voices.Families | Voices.Partners
        );
        await Answer(
            "overarching.process.3",
            Position.PartlyAddressed,
            "Testing in one locality from September; evaluation plan drafted with the university.",
            Voices.Practitioners,
            evidence: "Evaluation plan v0.3"
        );
        await Answer(
            "social-justice.outcomes.1",
            Position.Concern,
            "Evidence from elsewhere is mixed; our own evaluation is the main source and reports only after a year.",
            dissent: "Two members think published evidence is strong enough to proceed."
        );

        // Individual reflection on one cell, revealed, with views that differ, and a discussion.
        var deliberation = services.GetRequiredService<DeliberationService>();
        var now = await db.Reviews.AsNoTracking().SingleAsync(r => r.Id == review.Id);
        var currentRound = await db
            .Rounds.AsNoTracking()
            .SingleAsync(r => r.Id == now.CurrentRoundId);
        var outcomes = edition.FindCell("social-justice", "outcomes")!;
        await deliberation.OpenAsync(now, currentRound, [outcomes]);
        var reflection = await db.Reflections.SingleAsync(r => r.RoundId == currentRound.Id);
        (string Email, Position Position, string Reasoning, string? Minority)[] views =
        [
            (
                $"owner@{EmailDomain}",
                Position.Addressed,
                "Published evaluations from two councils are encouraging.",
                null
            ),
            (
                $"contributor@{EmailDomain}",
                Position.Concern,
                "Families who declined a conference are missing from those evaluations.",
                "We should not scale up before our own first-year findings."
            ),
            (
                $"facilitator@{EmailDomain}",
                Position.PartlyAddressed,
                "Good evidence for engagement, less for outcomes a year on.",
                null
            ),
        ];
        foreach (var view in views)
        {
            var person = await db.Users.AsNoTracking().SingleAsync(u => u.Email == view.Email);
            member.UserId = person.Id;
            member.DisplayName = person.DisplayName;
            await deliberation.SaveViewAsync(
                now,
                reflection,
                outcomes.Items[0],
                new(view.Position, view.Reasoning, view.Minority, MinorityViewNamed: false)
            );
        }
        member.UserId = facilitator.Id;
        member.DisplayName = facilitator.DisplayName;
        await deliberation.RevealAsync(now, reflection);
        await deliberation.AddCommentAsync(
            now,
            outcomes.Items[0],
            "Can we ask the university whether families who declined could be followed up too?",
            []
        );
        db.ChangeTracker.Clear();
    }
}
