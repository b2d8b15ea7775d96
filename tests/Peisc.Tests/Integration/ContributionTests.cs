using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.LivedExperience;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Integration;

/// <summary>Lived-experience contributions: the facilitator's invitation, the invitee's page, and their voices in the review.</summary>
public sealed class ContributionTests
{
    private const string Item = "human-rights.process.1";
    private const string SecondItem = "human-rights.process.2";

    private static Dictionary<string, string> ValidForm()
    {
        var expires = DateTime.UtcNow.AddDays(10);
        return new()
        {
            ["Input.Group"] = "Carers",
            ["Input.PublicName"] = "Carers' breaks at home",
            ["Input.ItemIds"] = Item,
            ["Input.ExpiresOn.Day"] = expires.Day.ToString(
                System.Globalization.CultureInfo.InvariantCulture
            ),
            ["Input.ExpiresOn.Month"] = expires.Month.ToString(
                System.Globalization.CultureInfo.InvariantCulture
            ),
            ["Input.ExpiresOn.Year"] = expires.Year.ToString(
                System.Globalization.CultureInfo.InvariantCulture
            ),
            ["Input.SafeguardingContact"] = VoiceData.Safeguarding,
        };
    }

    private static string TokenOf(Page page) =>
        page.Find("#invitation-link")!.TextContent.Trim().Split("/voices/")[1];

    [Theory, BothDatabases]
    public async Task NewInvitation_ByFacilitator_ShowsTheLinkOnceListsItAndAuditsIt(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Internal review title");
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);

        var form = await facilitator.GetPageAsync($"/reviews/{review.Id}/voices/new");
        Assert.Contains(
            "Taking part is your choice",
            form.Find("#Input_ConsentStatement")!.TextContent,
            StringComparison.Ordinal
        );
        var created = await Html.ToPageAsync(
            await facilitator.SubmitAsync(form, ValidForm()),
            form.Url
        );

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("Invitation created", created.Heading);
        var token = TokenOf(created);
        Assert.True(token.Length >= 40, token);
        var stored = await app.QueryAsync(d => d.VoiceInvitations.SingleAsync(), org.Id);
        Assert.Equal(MembershipService.HashToken(token), stored.TokenHash);
        Assert.Equal(Voices.Carers, stored.Group);
        Assert.Equal(Item, stored.ItemIds);

        var list = await facilitator.GetPageAsync($"/reviews/{review.Id}/voices");
        var row = list.Find($"#invitation-{stored.Id}")!;
        Assert.Contains("Carers' breaks at home", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Open", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(
            token,
            list.Document.DocumentElement.OuterHtml,
            StringComparison.Ordinal
        );
        Assert.NotNull(list.Find("nav[aria-label=Review] a[aria-current=page][href$='/voices']"));
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e =>
                e.Action == AuditActions.VoiceInvitationCreated
                && e.EntityId == stored.Id.ToString()
                && e.ActorUserId == org[MemberRole.Facilitator].Id
        );
    }

    [Theory, BothDatabases]
    public async Task NewInvitation_MissingChoices_ShowsErrorsAndKeepsWhatWasTyped(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var facilitator = await app.SignedInAsync(org[MemberRole.Owner]);
        var form = await facilitator.GetPageAsync($"/reviews/{review.Id}/voices/new");

        var values = ValidForm();
        values.Remove("Input.Group");
        values.Remove("Input.ItemIds");
        values["Input.SafeguardingContact"] = "";
        values["Input.Email"] = "not an address";
        var again = await Html.ToPageAsync(await facilitator.SubmitAsync(form, values), form.Url);

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(
            [
                "Select who you are inviting",
                "Choose at least one question to ask",
                "Enter whom to contact about safeguarding",
                "Enter an email address in the correct format, like name@example.com",
            ],
            again.ErrorSummary
        );
        Assert.Equal(
            "Carers' breaks at home",
            again.Find("#Input_PublicName")!.GetAttribute("value")
        );
        Assert.Equal(0, await app.QueryAsync(d => d.VoiceInvitations.CountAsync(), org.Id));
    }

    [Theory]
    [InlineData(MemberRole.Contributor)]
    [InlineData(MemberRole.Viewer)]
    public async Task NewInvitation_ByContributorOrViewer_IsRefusedAndCreatesNothing(
        MemberRole role
    )
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (invitation, _) = await app.InviteVoicesAsync(org, review.Id);
        var client = await app.SignedInAsync(org[role]);

        var get = await client.GetAsync($"/reviews/{review.Id}/voices/new");
        var list = await client.GetPageAsync($"/reviews/{review.Id}/voices");
        var post = await client.PostAsync(
            $"/reviews/{review.Id}/voices/new",
            new FormUrlEncodedContent(
                new Dictionary<string, string>(ValidForm())
                {
                    ["__RequestVerificationToken"] =
                        list.AntiforgeryToken
                        ?? (await client.GetPageAsync("/organisation")).AntiforgeryToken!,
                }
            )
        );
        var revoke = await client.PostAsync(
            $"/reviews/{review.Id}/voices?handler=Revoke&invitationId={invitation.Id}",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = (
                        await client.GetPageAsync("/organisation")
                    ).AntiforgeryToken!,
                }
            )
        );

        Assert.StartsWith("/account/access-denied", get.LocationPath(), StringComparison.Ordinal);
        Assert.StartsWith("/account/access-denied", post.LocationPath(), StringComparison.Ordinal);
        Assert.StartsWith(
            "/account/access-denied",
            revoke.LocationPath(),
            StringComparison.Ordinal
        );
        Assert.Empty(list.FindAll("form[action*='Revoke']"));
        Assert.Null(list.Find($"a[href='/reviews/{review.Id}/voices/new']"));
        var invitations = await app.QueryAsync(d => d.VoiceInvitations.ToListAsync(), org.Id);
        Assert.Null(Assert.Single(invitations).RevokedAt);
    }

    [Theory, BothDatabases]
    public async Task Voices_AnotherOrganisationsReviewOrInvitation_IsNotFound(Db db)
    {
        await using var app = new TestApp(db);
        var a = await app.CreateOrganisationAsync("Alpha");
        var b = await app.CreateOrganisationAsync("Beta");
        var theirs = await app.CreateReviewAsync(a);
        var (theirInvitation, _) = await app.InviteVoicesAsync(a, theirs.Id);
        var ours = await app.CreateReviewAsync(b);
        var client = await app.SignedInAsync(b[MemberRole.Facilitator]);
        var page = await client.GetPageAsync($"/reviews/{ours.Id}/voices");

        await client.GetPageAsync($"/reviews/{theirs.Id}/voices", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/reviews/{theirs.Id}/voices/new", HttpStatusCode.NotFound);
        var revoke = await client.PostAsync(
            $"/reviews/{ours.Id}/voices?handler=Revoke&invitationId={theirInvitation.Id}",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] =
                        page.AntiforgeryToken
                        ?? (await client.GetPageAsync("/organisation")).AntiforgeryToken!,
                }
            )
        );

        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Null(
            await app.QueryAsync(
                d => d.VoiceInvitations.Select(i => i.RevokedAt).SingleAsync(),
                a.Id
            )
        );
    }

    [Theory, BothDatabases]
    public async Task NewInvitation_WithAnEmailAddress_EmailsTheLink(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var form = await facilitator.GetPageAsync($"/reviews/{review.Id}/voices/new");

        var created = await Html.ToPageAsync(
            await facilitator.SubmitAsync(
                form,
                new Dictionary<string, string>(ValidForm())
                {
                    ["Input.Email"] = "carer@example.org",
                }
            ),
            form.Url
        );

        var token = TokenOf(created);
        Assert.Contains(
            "We have emailed the link to carer@example.org",
            created.Text,
            StringComparison.Ordinal
        );
        var mail = Assert.Single(Directory.GetFiles(app.MailDirectory, "*.eml"));
        var message = await MimeKit.MimeMessage.LoadAsync(mail);
        Assert.Equal("carer@example.org", message.To.Mailboxes.Single().Address);
        Assert.Contains($"/voices/{token}", message.TextBody, StringComparison.Ordinal);
        Assert.Contains(VoiceData.Safeguarding, message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(review.Title, message.TextBody, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Invitee_AnonymousWithoutAccount_MustAgreeThenAnswersAndIsHeardInTheReview(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Internal review title");
        var (invitation, token) = await app.InviteVoicesAsync(org, review.Id);
        var viewer = await app.SignedInAsync(org[MemberRole.Viewer]);
        var humanRights = ReviewData.Peisc.FindSection("human-rights")!.Title;
        var before = await viewer.GetPageAsync($"/reviews/{review.Id}/summary");
        Assert.Contains(
            humanRights,
            before.Find("#sections-without-voices")!.TextContent,
            StringComparison.Ordinal
        );

        var invitee = app.Browser();
        var page = await invitee.GetPageAsync($"/voices/{token}");
        Assert.Equal(VoiceData.PublicName, page.Heading);
        Assert.Contains(
            "Taking part is your choice",
            page.Find("#consent")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.Contains(
            VoiceData.Safeguarding,
            page.Find("#safeguarding")!.TextContent,
            StringComparison.Ordinal
        );
        var catalog = new PlainLanguageCatalog();
        Assert.Contains(
            catalog.Ours(Item)!,
            page.Find("label[for='Input_Answers_0_']")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Our plain-language adaptation of the framework's question",
            page.Find($"[id='question-{Item}']")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.NotNull(page.Find("#attribution"));
        Assert.DoesNotContain("Internal review title", page.Text, StringComparison.Ordinal);

        var refused = await Html.ToPageAsync(
            await invitee.SubmitAsync(
                page,
                new Dictionary<string, string>
                {
                    ["Input.Answers[0]"] = "It should be up to the family.",
                }
            ),
            page.Url
        );
        Assert.Equal(
            ["Tick the box to say you agree, if you want to take part"],
            refused.ErrorSummary
        );
        Assert.Equal(
            "It should be up to the family.",
            refused.Find("#Input_Answers_0_")!.TextContent
        );
        Assert.Equal(0, await app.QueryAsync(d => d.VoiceContributions.CountAsync(), org.Id));

        var thanks = await invitee.SubmitAndFollowAsync(
            refused,
            new Dictionary<string, string>
            {
                ["Input.Agree"] = "true",
                ["Input.Answers[0]"] = "It should be up to the family.",
            }
        );
        Assert.Equal("Thank you for sharing your views", thanks.Heading);
        Assert.NotNull(thanks.Find("form[action*='Withdraw']"));

        var contribution = await app.QueryAsync(d => d.VoiceContributions.SingleAsync(), org.Id);
        Assert.Null(contribution.Name);
        Assert.Equal(Voices.Families, contribution.Group);
        var cell = await viewer.GetPageAsync($"/reviews/{review.Id}/cells/human-rights/process");
        var heard = cell.Find($"[id='item-{Item}'] .app-heard-voices")!.TextContent;
        Assert.Contains("It should be up to the family.", heard, StringComparison.Ordinal);
        Assert.Contains("Families (anonymous)", heard, StringComparison.Ordinal);
        Assert.Null(cell.Find($"[id='item-{SecondItem}'] .app-heard-voices"));
        var after = await viewer.GetPageAsync($"/reviews/{review.Id}/summary");
        Assert.DoesNotContain(
            humanRights,
            after.Find("#sections-without-voices")?.TextContent ?? "",
            StringComparison.Ordinal
        );
        Assert.Contains(
            "1 answer",
            after.Find("#heard-items")!.TextContent,
            StringComparison.Ordinal
        );
        var audit = Assert.Single(
            await app.AuditAsync(org.Id),
            e => e.Action == AuditActions.VoiceContributionSubmitted
        );
        Assert.Null(audit.ActorUserId);
        Assert.Equal(contribution.Id.ToString(), audit.EntityId);
        Assert.DoesNotContain("up to the family", audit.Detail!, StringComparison.Ordinal);
        _ = invitation;
    }

    [Theory, BothDatabases]
    public async Task Invitee_NamedThenWithdraws_TheirWordsAreDeletedAndNoLongerShown(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (_, token) = await app.InviteVoicesAsync(org, review.Id);
        var viewer = await app.SignedInAsync(org[MemberRole.Viewer]);
        var invitee = app.Browser();
        var page = await invitee.GetPageAsync($"/voices/{token}");
        await invitee.SubmitAndFollowAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Agree"] = "true",
                ["Input.Name"] = "Jo",
                ["Input.Answers[1]"] = "Ask us before, not after.",
            }
        );
        var cell = await viewer.GetPageAsync($"/reviews/{review.Id}/cells/human-rights/process");
        Assert.Contains(
            "Families: Jo",
            cell.Find($"[id='item-{SecondItem}'] .app-heard-voices")!.TextContent,
            StringComparison.Ordinal
        );

        var again = await invitee.GetPageAsync($"/voices/{token}");
        Assert.Equal("Thank you for sharing your views", again.Heading);
        var withdrawn = await Html.ToPageAsync(await invitee.SubmitAsync(again), again.Url);

        Assert.Equal("Your answers have been withdrawn", withdrawn.Heading);
        Assert.Equal(0, await app.QueryAsync(d => d.VoiceContributions.CountAsync(), org.Id));
        Assert.Equal(0, await app.QueryAsync(d => d.VoiceResponses.CountAsync(), org.Id));
        cell = await viewer.GetPageAsync($"/reviews/{review.Id}/cells/human-rights/process");
        Assert.Null(cell.Find(".app-heard-voices"));
        Assert.DoesNotContain("Ask us before", cell.Text, StringComparison.Ordinal);
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e => e.Action == AuditActions.VoiceContributionWithdrawn && e.ActorUserId == null
        );
        // Withdrawn, they may open the link again and answer afresh.
        Assert.NotNull((await invitee.GetPageAsync($"/voices/{token}")).Find("#Input_Agree"));
    }

    [Theory, BothDatabases]
    public async Task Invitee_SignedInToAnotherOrganisation_AnswersAnonymouslyIntoTheLinksReview(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var other = await app.CreateOrganisationAsync("Elsewhere");
        var review = await app.CreateReviewAsync(org);
        var (_, token) = await app.InviteVoicesAsync(org, review.Id);
        var elsewhere = await app.SignedInAsync(other[MemberRole.Owner]);

        var page = await elsewhere.GetPageAsync($"/voices/{token}");
        await elsewhere.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Agree"] = "true",
                ["Input.Answers[0]"] = "From a carer who also works elsewhere.",
            }
        );

        var contribution = await app.QueryAsync(d => d.VoiceContributions.SingleAsync(), org.Id);
        Assert.Equal(review.Id, contribution.ReviewId);
        Assert.Equal(0, await app.QueryAsync(d => d.VoiceContributions.CountAsync(), other.Id));
        var audit = Assert.Single(
            await app.AuditAsync(org.Id),
            e => e.Action == AuditActions.VoiceContributionSubmitted
        );
        Assert.Null(audit.ActorUserId);
        Assert.Equal("Invited contributor", audit.ActorName);
        Assert.Equal(other.Name, (await elsewhere.GetPageAsync("/organisation")).Heading);
    }

    [Theory, BothDatabases]
    public async Task Contribution_DeletedByAFacilitatorOnRequest_IsGoneFromTheReview(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (_, token) = await app.InviteVoicesAsync(org, review.Id);
        var invitee = app.Browser();
        var page = await invitee.GetPageAsync($"/voices/{token}");
        await invitee.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Agree"] = "true",
                ["Input.Name"] = "Jo",
                ["Input.Answers[0]"] = "Please remove this later.",
            }
        );
        var contribution = await app.QueryAsync(d => d.VoiceContributions.SingleAsync(), org.Id);
        var viewer = await app.SignedInAsync(org[MemberRole.Viewer]);
        var theirs = await viewer.GetPageAsync($"/reviews/{review.Id}/voices");
        Assert.Contains(
            "Families: Jo",
            theirs.Find($"#contribution-{contribution.Id}")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.Empty(theirs.FindAll("form[action*='DeleteContribution']"));
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var list = await facilitator.GetPageAsync($"/reviews/{review.Id}/voices");

        var done = await facilitator.SubmitAndFollowAsync(
            list,
            formSelector: "form[action*='DeleteContribution']"
        );

        Assert.Contains(
            "The contribution and its answers have been deleted",
            done.Text,
            StringComparison.Ordinal
        );
        Assert.Null(done.Find($"#contribution-{contribution.Id}"));
        Assert.Equal(0, await app.QueryAsync(d => d.VoiceResponses.CountAsync(), org.Id));
        var cell = await viewer.GetPageAsync($"/reviews/{review.Id}/cells/human-rights/process");
        Assert.DoesNotContain("Please remove this later.", cell.Text, StringComparison.Ordinal);
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e =>
                e.Action == AuditActions.VoiceContributionDeleted
                && e.ActorUserId == org[MemberRole.Facilitator].Id
        );
    }

    [Theory, BothDatabases]
    public async Task Invitee_AnotherPersonWithTheSameLink_CannotWithdrawTheFirstPersonsAnswers(
        Db db
    )
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (_, token) = await app.InviteVoicesAsync(org, review.Id);
        var first = app.Browser();
        var page = await first.GetPageAsync($"/voices/{token}");
        await first.SubmitAsync(
            page,
            new Dictionary<string, string>
            {
                ["Input.Agree"] = "true",
                ["Input.Answers[0]"] = "Mine.",
            }
        );

        var second = app.Browser();
        var theirs = await second.GetPageAsync($"/voices/{token}");
        var response = await second.PostAsync(
            $"/voices/{token}?handler=Withdraw",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = theirs.AntiforgeryToken!,
                }
            )
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(theirs.Find("#Input_Agree"));
        Assert.Equal(1, await app.QueryAsync(d => d.VoiceContributions.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task Invitee_ExpiredLink_GetsAClearPageWith410AndCannotAnswer(Db db)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new TestApp(db) { Clock = clock };
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org, "Internal review title");
        var (_, token) = await app.InviteVoicesAsync(
            org,
            review.Id,
            DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)
        );
        var invitee = app.Browser();
        var open = await invitee.GetPageAsync($"/voices/{token}");

        clock.Advance(TimeSpan.FromDays(2));
        var gone = await invitee.GetPageAsync($"/voices/{token}", HttpStatusCode.Gone);
        var post = await invitee.SubmitAsync(
            open,
            new Dictionary<string, string>
            {
                ["Input.Agree"] = "true",
                ["Input.Answers[0]"] = "Late.",
            }
        );

        Assert.Equal("This link cannot be used", gone.Heading);
        Assert.Equal("This link has expired.", gone.Find("#link-state")!.TextContent);
        Assert.DoesNotContain(VoiceData.PublicName, gone.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Internal review title", gone.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.Equal(0, await app.QueryAsync(d => d.VoiceContributions.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task Invitee_RevokedLink_GetsAClearPageWith410(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (invitation, token) = await app.InviteVoicesAsync(org, review.Id);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var list = await facilitator.GetPageAsync($"/reviews/{review.Id}/voices");

        var done = await facilitator.SubmitAndFollowAsync(
            list,
            formSelector: "form[action*='Revoke']"
        );

        Assert.Contains(
            "Revoked",
            done.Find($"#invitation-{invitation.Id}")!.TextContent,
            StringComparison.Ordinal
        );
        var gone = await app.Browser().GetPageAsync($"/voices/{token}", HttpStatusCode.Gone);
        Assert.Equal("This link cannot be used", gone.Heading);
        Assert.Equal(
            "This link has been closed by the people who sent it.",
            gone.Find("#link-state")!.TextContent
        );
        Assert.DoesNotContain(VoiceData.PublicName, gone.Text, StringComparison.Ordinal);
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e =>
                e.Action == AuditActions.VoiceInvitationRevoked
                && e.EntityId == invitation.Id.ToString()
        );
    }

    [Theory, BothDatabases]
    public async Task Invitee_LinkOfAnArchivedReview_IsClosedWith410(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (_, token) = await app.InviteVoicesAsync(org, review.Id);
        await app.AsMemberAsync(
            org,
            org[MemberRole.Facilitator],
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var tracked = await db.Reviews.SingleAsync(r => r.Id == review.Id);
                await sp.GetRequiredService<ReviewService>().SetArchivedAsync(tracked, true);
                return true;
            }
        );

        var page = await app.Browser().GetPageAsync($"/voices/{token}", HttpStatusCode.Gone);

        Assert.Equal("This link cannot be used", page.Heading);
        Assert.DoesNotContain(VoiceData.PublicName, page.Text, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Invitee_UnknownLink_GetsAClearPageWith404(Db db)
    {
        await using var app = new TestApp(db);
        await app.CreateOrganisationAsync();

        var page = await app.Browser()
            .GetPageAsync("/voices/no-such-link-at-all", HttpStatusCode.NotFound);

        Assert.Equal("This link cannot be used", page.Heading);
        Assert.Equal(
            "We could not find this link. Check that you copied all of it.",
            page.Find("#link-state")!.TextContent
        );
    }

    [Theory, BothDatabases]
    public async Task NewLink_ForAnInvitation_ReplacesTheOldOne(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (_, oldToken) = await app.InviteVoicesAsync(org, review.Id);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);
        var list = await facilitator.GetPageAsync($"/reviews/{review.Id}/voices");

        var reissued = await Html.ToPageAsync(
            await facilitator.SubmitAsync(list, formSelector: "form[action*='Reissue']"),
            list.Url
        );

        var newToken = TokenOf(reissued);
        await app.Browser().GetPageAsync($"/voices/{oldToken}", HttpStatusCode.NotFound);
        Assert.Equal(
            VoiceData.PublicName,
            (await app.Browser().GetPageAsync($"/voices/{newToken}")).Heading
        );
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e => e.Action == AuditActions.VoiceInvitationReissued
        );
    }

    [Theory, BothDatabases]
    public async Task Invitee_WithTheLink_ReachesNothingElse(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (_, token) = await app.InviteVoicesAsync(org, review.Id);
        var invitee = app.Browser();

        var page = await invitee.GetPageAsync($"/voices/{token}");

        var links = page.FindAll("a[href]")
            .Select(a => a.GetAttribute("href")!)
            .Where(h => !h.StartsWith('#'))
            .ToList();
        Assert.All(
            links,
            href =>
                Assert.True(
                    href is "/accessibility" or "/privacy"
                        || href.StartsWith("https://", StringComparison.Ordinal),
                    href
                )
        );
        Assert.Empty(page.FindAll(".govuk-service-navigation"));
        Assert.True(page.Response.Headers.CacheControl?.NoStore);
        foreach (
            var url in new[]
            {
                $"/reviews/{review.Id}",
                $"/reviews/{review.Id}/voices",
                $"/reviews/{review.Id}/cells/human-rights/process",
                "/reviews",
            }
        )
        {
            var response = await invitee.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith(
                "/account/sign-in",
                response.LocationPath(),
                StringComparison.Ordinal
            );
        }
    }

    [Theory, BothDatabases]
    public async Task Invitee_OverLongAnswer_IsRefusedWithTheTextKept(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (_, token) = await app.InviteVoicesAsync(org, review.Id);
        var invitee = app.Browser();
        var page = await invitee.GetPageAsync($"/voices/{token}");
        var tooLong = new string('a', VoiceLimits.Answer + 1);

        var again = await Html.ToPageAsync(
            await invitee.SubmitAsync(
                page,
                new Dictionary<string, string>
                {
                    ["Input.Agree"] = "true",
                    ["Input.Answers[0]"] = tooLong,
                    ["Input.Name"] = new string('n', 101),
                }
            ),
            page.Url
        );

        Assert.Equal(
            [
                "Your answer to question 1 must be 3000 characters or fewer",
                "Your name must be 100 characters or fewer",
            ],
            again.ErrorSummary
        );
        Assert.Equal(tooLong, again.Find("#Input_Answers_0_")!.TextContent);
        Assert.Equal(0, await app.QueryAsync(d => d.VoiceContributions.CountAsync(), org.Id));
    }

    [Fact]
    public async Task Contributions_PastTheLimitForOneLink_AreRefused()
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (invitation, _) = await app.InviteVoicesAsync(org, review.Id);
        await using var scope = app.Services.CreateAsyncScope();
        var voices = scope.ServiceProvider.GetRequiredService<VoiceService>();
        scope.ServiceProvider.GetRequiredService<AppDbContext>().UseOrganisation(org.Id);
        var answers = new Dictionary<string, string> { [Item] = "Yes." };

        for (var i = 0; i < VoiceLimits.ContributionsPerInvitation; i++)
        {
            Assert.NotNull(await voices.SubmitAsync(invitation, null, answers));
        }

        Assert.Null(await voices.SubmitAsync(invitation, null, answers));
        Assert.Equal(
            VoiceLimits.ContributionsPerInvitation,
            await app.QueryAsync(d => d.VoiceContributions.CountAsync(), org.Id)
        );
    }

    [Fact]
    public async Task Invitee_ManyPostsInAMinute_AreSlowedDown()
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (_, token) = await app.InviteVoicesAsync(org, review.Id);
        var client = app.Browser();
        var page = await client.GetPageAsync($"/voices/{token}");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add(
                (
                    await client.SubmitAsync(
                        page,
                        new Dictionary<string, string> { ["Input.Answers[0]"] = "x" }
                    )
                ).StatusCode
            );
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/voices/{token}")).StatusCode);
    }

    [Theory, BothDatabases]
    public async Task PlainLanguage_EditedByAFacilitator_IsWhatTheirInviteesSee(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var other = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var otherReview = await app.CreateReviewAsync(other);
        var (_, token) = await app.InviteVoicesAsync(org, review.Id);
        var (_, otherToken) = await app.InviteVoicesAsync(other, otherReview.Id);
        var facilitator = await app.SignedInAsync(org[MemberRole.Facilitator]);

        var list = await facilitator.GetPageAsync("/organisation/plain-language");
        Assert.Contains(
            "our plain-language adaptation of the framework's questions",
            list.Text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Ours",
            list.Find($"[id='plain-{Item}']")!.TextContent,
            StringComparison.Ordinal
        );
        var edit = await facilitator.GetPageAsync($"/organisation/plain-language/{Item}");
        var saved = await facilitator.SubmitAndFollowAsync(
            edit,
            new Dictionary<string, string> { ["Text"] = "Did anyone ask you first?" }
        );

        Assert.Contains(
            "Did anyone ask you first?",
            saved.Find($"[id='plain-{Item}']")!.TextContent,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Your organisation's",
            saved.Find($"[id='plain-{Item}']")!.TextContent,
            StringComparison.Ordinal
        );
        var invitee = await app.Browser().GetPageAsync($"/voices/{token}");
        var question = invitee.Find($"[id='question-{Item}']")!.TextContent;
        Assert.Contains("Did anyone ask you first?", question, StringComparison.Ordinal);
        Assert.Contains(
            "The organisation's plain-language adaptation of the framework's question",
            question,
            StringComparison.Ordinal
        );
        var othersInvitee = await app.Browser().GetPageAsync($"/voices/{otherToken}");
        Assert.DoesNotContain(
            "Did anyone ask you first?",
            othersInvitee.Text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            new PlainLanguageCatalog().Ours(Item)!,
            othersInvitee.Text,
            StringComparison.Ordinal
        );
        Assert.Contains(
            await app.AuditAsync(org.Id),
            e => e.Action == AuditActions.PlainLanguageChanged && e.EntityId == Item
        );
        // The framework's own words never change.
        Assert.Equal(
            ReviewData.Peisc.FindItem(Item)!.Item.Text,
            (await facilitator.GetPageAsync($"/organisation/plain-language/{Item}"))
                .Find("#framework-text")!
                .TextContent
        );

        var reset = await facilitator.GetPageAsync($"/organisation/plain-language/{Item}");
        await facilitator.SubmitAsync(reset, formSelector: "form[action*='Reset']");
        Assert.Contains(
            new PlainLanguageCatalog().Ours(Item)!,
            (await app.Browser().GetPageAsync($"/voices/{token}")).Text,
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData(MemberRole.Contributor)]
    [InlineData(MemberRole.Viewer)]
    public async Task PlainLanguage_ContributorOrViewer_CannotChangeIt(MemberRole role)
    {
        await using var app = new TestApp(Db.Sqlite);
        var org = await app.CreateOrganisationAsync();
        var client = await app.SignedInAsync(org[role]);

        var list = await client.GetPageAsync("/organisation/plain-language");
        var edit = await client.GetAsync($"/organisation/plain-language/{Item}");
        var post = await client.PostAsync(
            $"/organisation/plain-language/{Item}",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = (
                        await client.GetPageAsync("/organisation")
                    ).AntiforgeryToken!,
                    ["Text"] = "Changed",
                }
            )
        );

        Assert.Empty(list.FindAll("a[href^='/organisation/plain-language/']"));
        Assert.StartsWith("/account/access-denied", edit.LocationPath(), StringComparison.Ordinal);
        Assert.StartsWith("/account/access-denied", post.LocationPath(), StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(d => d.PlainLanguageTexts.CountAsync(), org.Id));
    }

    [Fact]
    public void PlainLanguageFile_CoversEveryItemOfTheBuiltInEdition()
    {
        var ours = new PlainLanguageCatalog().Items;
        var items = ReviewData.Peisc.AllCells.SelectMany(c => c.Items).Select(i => i.Id).ToList();

        Assert.Equal(items.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        Assert.All(ours.Values, text => Assert.InRange(text.Length, 20, VoiceLimits.PlainLanguage));
        // An adaptation, never a copy of the framework's words.
        Assert.All(
            items,
            id => Assert.NotEqual(ReviewData.Peisc.FindItem(id)!.Item.Text, ours[id])
        );
    }
}
