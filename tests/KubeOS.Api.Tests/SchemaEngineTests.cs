using System.Text.Json;
using System.Text.Json.Nodes;
using KubeOS.Api.Serialization;
using KubeOS.Sandbox.Schema;

namespace KubeOS.Api.Tests;

public class SchemaEngineTests
{
    private static CrdSchema Schema(string json) => CrdSchema.FromCrdVersion(JsonDocument.Parse(json).RootElement);

    private static SchemaResult Admit(string schema, string obj) => Schema(schema).Admit(JsonNode.Parse(obj)!);

    private static FieldCause Single(string schema, string obj) => Assert.Single(Admit(schema, obj).Causes);

    private const string Spec = """{"type":"object","properties":{"spec":%}}""";

    private static string S(string specSchema) => Spec.Replace("%", specSchema);

    [Fact]
    public void DefaultsAreAppliedIncludingInsideDefaultedObjects()
    {
        var r = Admit(S("""{"type":"object","properties":{"a":{"type":"integer","default":15},"b":{"type":"object","default":{},"properties":{"c":{"type":"string","default":"x"}}}}}"""),
            """{"spec":{}}""");
        Assert.True(r.IsValid);
        Assert.Equal(15, r.Object["spec"]!["a"]!.GetValue<int>());
        Assert.Equal("x", r.Object["spec"]!["b"]!["c"]!.GetValue<string>());
    }

    [Fact]
    public void DefaultsDoNotOverwriteGivenValuesAndReplaceNonNullableNulls()
    {
        var r = Admit(S("""{"type":"object","properties":{"a":{"type":"integer","default":15},"b":{"type":"string","default":"d"}}}"""),
            """{"spec":{"a":3,"b":null}}""");
        Assert.Equal(3, r.Object["spec"]!["a"]!.GetValue<int>());
        Assert.Equal("d", r.Object["spec"]!["b"]!.GetValue<string>());
    }

    [Fact]
    public void NullsOfNonNullableFieldsAreDroppedAndNullableOnesKept()
    {
        var r = Admit(S("""{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"object","nullable":true}}}"""),
            """{"spec":{"a":null,"b":null}}""");
        Assert.True(r.IsValid);
        var spec = r.Object["spec"]!.AsObject();
        Assert.False(spec.ContainsKey("a"));
        Assert.True(spec.ContainsKey("b"));
    }

    [Fact]
    public void UnknownFieldsArePrunedButRootTypeFieldsAndMetadataStay()
    {
        var r = Admit(S("""{"type":"object","properties":{"a":{"type":"string"}}}"""),
            """{"apiVersion":"v","kind":"K","metadata":{"name":"n","whatever":1},"spec":{"a":"x","zz":1},"extra":true}""");
        Assert.True(r.IsValid);
        Assert.Equal(["spec.zz", "extra"], r.PrunedFields.Order().Reverse().ToArray());
        Assert.Null(r.Object["extra"]);
        Assert.Null(r.Object["spec"]!["zz"]);
        Assert.Equal(1, r.Object["metadata"]!["whatever"]!.GetValue<int>());
        Assert.Equal("K", r.Object["kind"]!.GetValue<string>());
    }

    [Fact]
    public void PreserveUnknownFieldsKeepsEverythingBelow()
    {
        var r = Admit(S("""{"type":"object","properties":{"v":{"x-kubernetes-preserve-unknown-fields":true},"o":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"k":{"type":"object","properties":{}}}}}}"""),
            """{"spec":{"v":{"deep":[1,{"x":null}]},"o":{"free":1,"k":{"gone":2}}}}""");
        Assert.True(r.IsValid);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"deep":[1,{"x":null}]}"""), r.Object["spec"]!["v"]));
        Assert.Equal(1, r.Object["spec"]!["o"]!["free"]!.GetValue<int>());
        Assert.Equal(["spec.o.k.gone"], r.PrunedFields);
    }

    [Fact]
    public void AdditionalPropertiesValidateMapValues()
    {
        var c = Single(S("""{"type":"object","additionalProperties":{"type":"integer"}}"""), """{"spec":{"a":1,"b/c":"x"}}""");
        Assert.Equal("spec[b/c]", c.Field);
        Assert.Equal(FieldCauseTypes.TypeInvalid, c.Type);
    }

    [Fact]
    public void RequiredReportsFieldValueRequired()
    {
        var c = Single(S("""{"type":"object","required":["x"],"properties":{"x":{"type":"string"}}}"""), """{"spec":{}}""");
        Assert.Equal(new FieldCause(FieldCauseTypes.Required, "spec.x", "Required value"), c);
    }

    [Fact]
    public void TypeMismatchUsesKubeApiserverWording()
    {
        var c = Single(S("""{"type":"object","properties":{"n":{"type":"integer"}}}"""), """{"spec":{"n":"two"}}""");
        Assert.Equal(FieldCauseTypes.TypeInvalid, c.Type);
        Assert.Equal("spec.n", c.Field);
        Assert.Equal("Invalid value: \"string\": spec.n in body must be of type integer: \"string\"", c.Message);
    }

    [Theory]
    [InlineData("""{"type":"integer"}""", "1.5")]
    [InlineData("""{"type":"boolean"}""", "\"true\"")]
    [InlineData("""{"type":"array"}""", "{}")]
    [InlineData("""{"type":"object"}""", "[]")]
    [InlineData("""{"type":"string"}""", "1")]
    [InlineData("""{"type":"number"}""", "\"1\"")]
    [InlineData("""{"type":"string"}""", "[null]")]
    [InlineData("""{"x-kubernetes-int-or-string":true}""", "true")]
    public void EveryTypeRejectsOtherTypes(string schema, string value)
    {
        var c = Single(S("{\"type\":\"object\",\"properties\":{\"f\":" + schema + "}}"), "{\"spec\":{\"f\":" + value + "}}");
        Assert.Equal(FieldCauseTypes.TypeInvalid, c.Type);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"50%\"")]
    public void IntOrStringAcceptsBoth(string value) =>
        Assert.True(Admit(S("""{"type":"object","properties":{"f":{"x-kubernetes-int-or-string":true}}}"""), "{\"spec\":{\"f\":" + value + "}}").IsValid);

    [Fact]
    public void NumberAcceptsIntegers() =>
        Assert.True(Admit(S("""{"type":"object","properties":{"f":{"type":"number"}}}"""), """{"spec":{"f":3}}""").IsValid);

    [Fact]
    public void EnumReportsNotSupportedWithTheSupportedValues()
    {
        var c = Single(S("""{"type":"object","properties":{"e":{"type":"string","enum":["a","b"]}}}"""), """{"spec":{"e":"c"}}""");
        Assert.Equal(new FieldCause(FieldCauseTypes.NotSupported, "spec.e", "Unsupported value: \"c\": supported values: \"a\", \"b\""), c);
    }

    [Fact]
    public void MinimumAndMaximum()
    {
        var schema = S("""{"type":"object","properties":{"m":{"type":"integer","minimum":1,"maximum":5},"x":{"type":"number","minimum":0,"exclusiveMinimum":true,"maximum":2,"exclusiveMaximum":true}}}""");
        Assert.Equal(new FieldCause(FieldCauseTypes.Invalid, "spec.m", "Invalid value: 0: spec.m in body should be greater than or equal to 1"), Single(schema, """{"spec":{"m":0}}"""));
        Assert.Equal("Invalid value: 6: spec.m in body should be less than or equal to 5", Single(schema, """{"spec":{"m":6}}""").Message);
        Assert.Equal("Invalid value: 0: spec.x in body should be greater than 0", Single(schema, """{"spec":{"x":0}}""").Message);
        Assert.Equal("Invalid value: 2: spec.x in body should be less than 2", Single(schema, """{"spec":{"x":2}}""").Message);
        Assert.True(Admit(schema, """{"spec":{"m":5,"x":1.5}}""").IsValid);
        Assert.True(Admit(schema, """{"spec":{"m":1}}""").IsValid);
    }

    [Fact]
    public void StringLengthsPatternAndFormat()
    {
        const string schema = """{"type":"object","properties":{"s":{"type":"string","minLength":2,"maxLength":4,"pattern":"^[a-z]+$"},"t":{"type":"string","format":"date-time"}}}""";
        Assert.Equal("Invalid value: \"a\": spec.s in body should be at least 2 chars long", Single(S(schema), """{"spec":{"s":"a"}}""").Message);
        var tooLong = Single(S(schema), """{"spec":{"s":"abcde"}}""");
        Assert.Equal(FieldCauseTypes.TooLong, tooLong.Type);
        Assert.Equal("Invalid value: \"AB\": spec.s in body should match '^[a-z]+$'", Single(S(schema), """{"spec":{"s":"AB"}}""").Message);
        Assert.Equal("Invalid value: \"yesterday\": spec.t in body must be of type date-time: \"yesterday\"", Single(S(schema), """{"spec":{"t":"yesterday"}}""").Message);
        Assert.True(Admit(S(schema), """{"spec":{"s":"abcd","t":"2026-01-31T22:00:00Z"}}""").IsValid);
        Assert.True(Admit(S(schema), """{"spec":{"s":"ab"}}""").IsValid, "lengths count characters");
    }

    [Fact]
    public void PropertyCountsAndMultipleOf()
    {
        var schema = S("""{"type":"object","properties":{"m":{"type":"object","minProperties":1,"maxProperties":2,"additionalProperties":{"type":"string"}},"n":{"type":"integer","multipleOf":5}}}""");
        Assert.Equal("Invalid value: \"object\": spec.m in body should have at least 1 properties", Single(schema, """{"spec":{"m":{}}}""").Message);
        Assert.Equal(new FieldCause(FieldCauseTypes.TooMany, "spec.m", "Too many: 3: must have at most 2 items"), Single(schema, """{"spec":{"m":{"a":"","b":"","c":""}}}"""));
        Assert.Equal("Invalid value: 7: spec.n in body should be a multiple of 5", Single(schema, """{"spec":{"n":7}}""").Message);
        Assert.True(Admit(schema, """{"spec":{"m":{"a":""},"n":15}}""").IsValid);
    }

    [Fact]
    public void ItemsAndItemCounts()
    {
        const string schema = """{"type":"object","properties":{"l":{"type":"array","minItems":1,"maxItems":2,"items":{"type":"string"}}}}""";
        Assert.Equal("Invalid value: \"array\": spec.l in body should have at least 1 items", Single(S(schema), """{"spec":{"l":[]}}""").Message);
        Assert.Equal(new FieldCause(FieldCauseTypes.TooMany, "spec.l", "Too many: 3: must have at most 2 items"), Single(S(schema), """{"spec":{"l":["a","b","c"]}}"""));
        Assert.Equal("spec.l[1]", Single(S(schema), """{"spec":{"l":["a",2]}}""").Field);
    }

    [Fact]
    public void NullableAllowsNullWhereOtherwiseRejected()
    {
        Assert.Equal(FieldCauseTypes.TypeInvalid, Single(S("""{"type":"object","properties":{"l":{"type":"array","items":{"type":"object"}}}}"""), """{"spec":{"l":[null]}}""").Type);
        Assert.True(Admit(S("""{"type":"object","properties":{"l":{"type":"array","items":{"type":"object","nullable":true}}}}"""), """{"spec":{"l":[null]}}""").IsValid);
    }

    [Fact]
    public void CelRulesReportAtTheirFieldPathWithTheirMessageAndReason()
    {
        const string schema = """
            {"type":"object","properties":{"a":{"type":"string"},"b":{"type":"boolean"}},
             "x-kubernetes-validations":[
               {"rule":"!self.a.startsWith('http://') || self.b","fieldPath":".a","message":"http needs b"},
               {"rule":"self.a != 'forbidden'","reason":"FieldValueForbidden","message":"not this"},
               {"rule":"size(self.a) < 30"}]}
            """;
        Assert.True(Admit(S(schema), """{"spec":{"a":"http://x","b":true}}""").IsValid);
        Assert.Equal(new FieldCause(FieldCauseTypes.Invalid, "spec.a", "Invalid value: \"object\": http needs b"), Single(S(schema), """{"spec":{"a":"http://x","b":false}}"""));
        Assert.Equal(new FieldCause(FieldCauseTypes.Forbidden, "spec", "Forbidden: not this"), Single(S(schema), """{"spec":{"a":"forbidden","b":false}}"""));
        Assert.Equal("Invalid value: \"object\": failed rule: size(self.a) < 30", Single(S(schema), "{\"spec\":{\"a\":\"" + new string('x', 40) + "\",\"b\":false}}").Message);
    }

    [Fact]
    public void CelRulesSeeDefaultedValuesAndRunOnEveryListItem()
    {
        const string schema = """
            {"type":"object","properties":{"l":{"type":"array","items":{"type":"object","properties":{"n":{"type":"integer","default":5}},
              "x-kubernetes-validations":[{"rule":"self.n < 10","fieldPath":".n","message":"n too big"}]}}}}
            """;
        var r = Admit(S(schema), """{"spec":{"l":[{},{"n":11},{"n":12}]}}""");
        Assert.Equal(["spec.l[1].n", "spec.l[2].n"], r.Causes.Select(c => c.Field));
        Assert.Equal(5, r.Object["spec"]!["l"]![0]!["n"]!.GetValue<int>());
    }

    [Fact]
    public void CelMessageExpressionIsUsed()
    {
        const string schema = """{"type":"object","properties":{"n":{"type":"integer"}},"x-kubernetes-validations":[{"rule":"self.n > 1","messageExpression":"'n is ' + string(self.n)"}]}""";
        Assert.Equal("Invalid value: \"object\": n is 0", Single(S(schema), """{"spec":{"n":0}}""").Message);
    }

    [Fact]
    public void CelEvaluationErrorsAreReportedNotThrown()
    {
        const string schema = """{"type":"object","properties":{"n":{"type":"integer"}},"x-kubernetes-validations":[{"rule":"self.n > 1"}]}""";
        var c = Single(S(schema), """{"spec":{}}""");
        Assert.Equal("spec", c.Field);
        Assert.Contains("evaluating rule: self.n > 1", c.Message);
    }

    [Fact]
    public void HasTestsKeyPresenceEvenForEmptyValues()
    {
        const string schema = """{"type":"object","properties":{"a":{"type":"string"},"l":{"type":"array","items":{"type":"string"}}},"x-kubernetes-validations":[{"rule":"has(self.a) && has(self.l)"}]}""";
        Assert.True(Admit(S(schema), """{"spec":{"a":"","l":[]}}""").IsValid);
        Assert.False(Admit(S(schema), """{"spec":{"l":[]}}""").IsValid);
    }

    [Fact]
    public void SchemaErrorsThatBreakTheShapeSkipCelRulesAsKubeApiserverDoes()
    {
        const string schema = """{"type":"object","required":["r"],"properties":{"r":{"type":"string"},"e":{"type":"string","enum":["a"]},"m":{"type":"integer","minimum":1}},"x-kubernetes-validations":[{"rule":"false","message":"rule ran"}]}""";
        var blocked = Admit(S(schema), """{"spec":{"e":"b"}}""").Causes;
        Assert.Equal(["spec.r", "spec.e", ""], blocked.Select(c => c.Field));
        Assert.Equal("Invalid value: null: " + CrdSchema.RulesNotChecked, blocked[^1].Message);
        // a value out of range does not change the shape, so the rules still run
        Assert.Equal(["spec.m", "spec"], Admit(S(schema), """{"spec":{"r":"x","m":0}}""").Causes.Select(c => c.Field));
    }

    [Fact]
    public void TransitionRulesDoNotRunOnCreate() =>
        Assert.True(Admit(S("""{"type":"object","x-kubernetes-validations":[{"rule":"self == oldSelf"}]}"""), """{"spec":{"a":1}}""").IsValid);

    [Fact]
    public void InvalidCelRuleIsRejectedWhenTheSchemaLoads() =>
        Assert.Throws<ArgumentException>(() => Schema(S("""{"type":"object","x-kubernetes-validations":[{"rule":"self.a ++ 1"}]}""")));

    [Fact]
    public void JunctorsAreRefusedRatherThanIgnored() =>
        Assert.Throws<NotSupportedException>(() => Schema(S("""{"type":"object","anyOf":[{"required":["a"]}]}""")));

    [Fact]
    public void ListTypeSetRejectsDuplicates()
    {
        var c = Single(S("""{"type":"object","properties":{"l":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}}}"""), """{"spec":{"l":["a","b","a"]}}""");
        Assert.Equal(new FieldCause(FieldCauseTypes.Duplicate, "spec.l[2]", "Duplicate value: \"a\""), c);
    }

    [Fact]
    public void AdmitCanRunConcurrently()
    {
        var docs = Corpus.Good().Concat(Corpus.Bad()).Select(f => ManifestSerializer.Parse(File.ReadAllText(f)).Single())
            .Where(d => d.Kind == "OS").ToList();
        var schema = Corpus.SchemaFor("OS");
        var expected = docs.Select(d => string.Join("\n", schema.Admit(d.Json!).Causes)).ToList();
        var actual = new string[docs.Count * 4];
        Parallel.For(0, actual.Length, i => actual[i] = string.Join("\n", schema.Admit(docs[i % docs.Count].Json!).Causes));
        for (var i = 0; i < actual.Length; i++) Assert.Equal(expected[i % docs.Count], actual[i]);
    }

    [Fact]
    public void AdmitDoesNotChangeItsInput()
    {
        var input = JsonNode.Parse("""{"spec":{"zz":1}}""")!;
        Schema(S("""{"type":"object","properties":{"a":{"type":"integer","default":1}}}""")).Admit(input);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"spec":{"zz":1}}"""), input));
    }
}
