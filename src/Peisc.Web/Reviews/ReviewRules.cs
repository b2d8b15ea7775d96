using Peisc.Web.Data;

namespace Peisc.Web.Reviews;

public sealed record ReviewInput(
    string? Title,
    string? Innovation,
    ServiceArea? ServiceArea,
    string? SituationId,
    string? StageId,
    string? Partners
);

public sealed record AnswerInput(
    Position Position,
    string? NotApplicableReason,
    string? Reasoning,
    string? Evidence,
    Voices Voices,
    string? Dissent
);

public sealed record ActionInput(
    string? Title,
    Guid? OwnerUserId,
    string? OwnerName,
    DateOnly? DueDate,
    ActionStatus Status,
    IReadOnlyList<string> ItemIds
);

/// <summary>One problem with what someone sent: the field it concerns and a GOV.UK-style message.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>The rules for what people type. Pages and the API both call these, so limits hold everywhere.</summary>
public static class ReviewRules
{
    public static List<FieldError> Check(ReviewInput input, Framework.FrameworkEdition edition)
    {
        var errors = new List<FieldError>();
        Required(
            errors,
            nameof(input.Title),
            input.Title,
            "Enter a title for the review",
            ReviewLimits.Title,
            "Title"
        );
        Required(
            errors,
            nameof(input.Innovation),
            input.Innovation,
            "Describe the innovation",
            ReviewLimits.LongText,
            "The description of the innovation"
        );
        if (input.ServiceArea is null || !Enum.IsDefined(input.ServiceArea.Value))
        {
            errors.Add(new(nameof(input.ServiceArea), "Select the service area"));
        }
        if (edition.Situations.All(s => s.Id != input.SituationId))
        {
            errors.Add(new(nameof(input.SituationId), "Select the situation your team is in"));
        }
        if (edition.Stages.All(s => s.Id != input.StageId))
        {
            errors.Add(new(nameof(input.StageId), "Select the stage the innovation is at"));
        }
        Optional(
            errors,
            nameof(input.Partners),
            input.Partners,
            ReviewLimits.Partners,
            "Partner organisations"
        );
        return errors;
    }

    public static List<FieldError> Check(AnswerInput input)
    {
        var errors = new List<FieldError>();
        if (!Enum.IsDefined(input.Position))
        {
            errors.Add(new(nameof(input.Position), "Select where the team stands"));
        }
        if (
            input.Position == Position.NotApplicable
            && string.IsNullOrWhiteSpace(input.NotApplicableReason)
        )
        {
            errors.Add(new(nameof(input.NotApplicableReason), "Say why this item does not apply"));
        }
        Optional(
            errors,
            nameof(input.NotApplicableReason),
            input.NotApplicableReason,
            ReviewLimits.ShortText,
            "The reason it does not apply"
        );
        Optional(
            errors,
            nameof(input.Reasoning),
            input.Reasoning,
            ReviewLimits.LongText,
            "Reasoning"
        );
        Optional(errors, nameof(input.Evidence), input.Evidence, ReviewLimits.LongText, "Evidence");
        Optional(
            errors,
            nameof(input.Dissent),
            input.Dissent,
            ReviewLimits.LongText,
            "Dissent or minority view"
        );
        if ((input.Voices & ~AllVoices) != 0)
        {
            errors.Add(new(nameof(input.Voices), "Select whose voices were heard from the list"));
        }
        return errors;
    }

    public static List<FieldError> Check(ActionInput input, ICollection<string> knownItemIds)
    {
        var errors = new List<FieldError>();
        Required(
            errors,
            nameof(input.Title),
            input.Title,
            "Enter what needs to be done",
            ReviewLimits.ShortText,
            "What needs to be done"
        );
        Optional(errors, nameof(input.OwnerName), input.OwnerName, 200, "The owner's name");
        if (!Enum.IsDefined(input.Status))
        {
            errors.Add(new(nameof(input.Status), "Select a status"));
        }
        if (input.DueDate is { } due && (due.Year < 2000 || due.Year > 2100))
        {
            errors.Add(
                new(nameof(input.DueDate), "The due date must be a real date between 2000 and 2100")
            );
        }
        if (input.ItemIds.Any(i => !knownItemIds.Contains(i)))
        {
            errors.Add(
                new(
                    nameof(input.ItemIds),
                    "Choose the items this action addresses from the framework"
                )
            );
        }
        return errors;
    }

    public const Voices AllVoices =
        Voices.ChildrenAndYoungPeople
        | Voices.Families
        | Voices.AdultsWhoUseServices
        | Voices.Carers
        | Voices.Practitioners
        | Voices.Partners;

    private static void Required(
        List<FieldError> errors,
        string field,
        string? value,
        string missing,
        int max,
        string label
    )
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, missing));
        }
        else
        {
            Optional(errors, field, value, max, label);
        }
    }

    private static void Optional(
        List<FieldError> errors,
        string field,
        string? value,
        int max,
        string label
    )
    {
        if (value is not null && value.Length > max)
        {
            errors.Add(new(field, $"{label} must be {max:N0} characters or fewer"));
        }
    }

    public static string? Clean(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
