"""The thirteen input extracts, as ../shared/spec/extracts.md defines them.

This module is the single definition of the extract interface: the generator
writes it, the schema check and the data contracts enforce it, the pipeline
reads it. Cross-field rules ("null unless X", check digits, ID vs birth date)
live in `jflh.schema_check`, which cites the same page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

# Logical type -> Arrow type written and accepted. `month` is a DATE on day 1.
ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "bool": pa.bool_(),
    "int32": pa.int32(),
    "date": pa.date32(),
    "month": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "decimal": pa.decimal128(18, 2),
}

VERIFICATION = ("valid", "invalid", "pending")
INSURANCE_TYPES = ("pension", "medical", "unemployment", "injury", "maternity")

# GB/T 2260 districts of Beijing (extracts.md, "Districts"). Not policy: the
# six central districts used by the area indicator are a per-year parameter.
DISTRICTS: dict[str, str] = {
    "110101": "东城", "110102": "西城", "110105": "朝阳", "110106": "丰台",
    "110107": "石景山", "110108": "海淀", "110109": "门头沟", "110111": "房山",
    "110112": "通州", "110113": "顺义", "110114": "昌平", "110115": "大兴",
    "110116": "怀柔", "110117": "平谷", "110118": "密云", "110119": "延庆",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of ARROW_TYPES
    nullable: bool = False  # True for "null = …" and "null unless X" columns
    enum: tuple[str, ...] | None = None
    fk: tuple[str, str] | None = None  # (extract, column)
    description: str = ""

    @property
    def arrow_type(self) -> pa.DataType:
        return ARROW_TYPES[self.type]


@dataclass(frozen=True)
class Extract:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # unique key; () = none
    split: bool = False  # large: written as NAME/part-*.parquet
    unique: tuple[str, ...] = field(default=())  # other unique single columns

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [pa.field(c.name, c.arrow_type, nullable=c.nullable) for c in self.columns]
        )


def _fk() -> Column:
    return Column("applicant_id", "string", fk=("applicants", "applicant_id"),
                  description="applicant the agency matched this record to")


def _verification() -> Column:
    return Column("verification", "string", enum=VERIFICATION,
                  description="result of the agency's review")


def _claimed() -> tuple[Column, Column]:
    return (Column("claimed_start", "month", description="first month claimed, as filed"),
            Column("claimed_end", "month", description="last month claimed, as filed"))


EXTRACTS: tuple[Extract, ...] = (
    Extract(
        "applicants", "declaration system (积分落户在线申报系统)",
        (
            Column("applicant_id", "string", description="declaration id"),
            Column("id_number", "string", description="18-char resident ID, GB 11643"),
            Column("name", "string", description="applicant's name"),
            Column("gender", "string", enum=("male", "female"),
                   description="agrees with id_number (17th digit odd = male)"),
            Column("birth_date", "date", description="equals digits 7-14 of id_number"),
            Column("position_type", "string", enum=("worker", "cadre"),
                   description="女干部/管理岗 retire at 55"),
            Column("employer_uscc", "string", description="unified social credit code, GB 32100"),
            Column("employer_name", "string", description="employer's name"),
            Column("employer_confirmed", "bool", description="employer accepted the association"),
            Column("status", "string", enum=("draft", "submitted"), description="未提交 / 已提交"),
            Column("submitted_at", "timestamp", nullable=True,
                   description="null unless status = submitted"),
            Column("opts_job_residence", "bool", description="scores the job-residence indicator"),
            Column("tax_authorized", "bool", description="authorised the tax-data pull"),
        ),
        key=("applicant_id",), unique=("id_number",),
    ),
    Extract(
        "social_insurance", "social insurance (社保), one row per type and month paid",
        (
            _fk(),
            Column("insurance_type", "string", enum=INSURANCE_TYPES, description="insurance type"),
            Column("month", "month", description="month paid, from 1992-01"),
            Column("district_code", "string", description="district of the paying employer"),
            Column("back_paid", "bool", description="补缴 record"),
        ),
        key=("applicant_id", "insurance_type", "month"), split=True,
    ),
    Extract(
        "property_claims", "property registry verification (不动产登记)",
        (
            Column("claim_id", "string", description="claim id"),
            _fk(),
            Column("residence_kind", "string", enum=("owned", "dormitory"), description="owned home or dormitory"),
            Column("owner_relation", "string", nullable=True, enum=("self", "spouse"),
                   description="null unless residence_kind = owned"),
            Column("marriage_id", "string", nullable=True, fk=("marriages", "marriage_id"),
                   description="required iff owner_relation = spouse (same applicant)"),
            Column("certificate_no", "string", description="房屋所有权证号 / 不动产权证号"),
            Column("district_code", "string", description="district of the home"),
            *_claimed(),
            _verification(),
            Column("registered_on", "date", nullable=True, description="登簿日期; null unless valid"),
            Column("certificate_expired_on", "date", nullable=True,
                   description="权证失效日期; null = in force (or not valid)"),
        ),
        key=("claim_id",),
    ),
    Extract(
        "lease_filings", "housing rental filings (住建委房屋租赁备案)",
        (
            Column("claim_id", "string", description="claim id"),
            _fk(),
            Column("filing_no", "string", description="租赁合同备案编号"),
            Column("tenant_relation", "string", enum=("self", "spouse"), description="who is the tenant"),
            Column("marriage_id", "string", nullable=True, fk=("marriages", "marriage_id"),
                   description="required iff tenant_relation = spouse (same applicant)"),
            Column("district_code", "string", description="district of the home"),
            *_claimed(),
            _verification(),
            Column("contract_start", "date", nullable=True, description="null unless valid"),
            Column("contract_end", "date", nullable=True, description="null unless valid"),
        ),
        key=("claim_id",),
    ),
    Extract(
        "marriages", "spouse records (配偶信息), one row per marriage segment",
        (
            Column("marriage_id", "string", description="marriage id"),
            _fk(),
            Column("spouse_id_number", "string", description="spouse's 18-char ID, GB 11643"),
            Column("married_on", "date", description="date of marriage"),
            Column("divorced_on", "date", nullable=True, description="null = ongoing"),
            _verification(),
        ),
        key=("marriage_id",),
    ),
    Extract(
        "education", "academic records (学信网 / 留学服务中心)",
        (
            Column("record_id", "string", description="record id"),
            _fk(),
            Column("source", "string", enum=("domestic", "overseas"), description="where earned"),
            Column("education_level", "string", nullable=True,
                   enum=("associate", "bachelor", "master", "doctor"), description="null = degree only"),
            Column("degree", "string", nullable=True, enum=("bachelor", "master", "doctor"),
                   description="null = education only"),
            Column("graduated_on", "date", nullable=True, description="null when education_level is null"),
            Column("degree_awarded_on", "date", nullable=True, description="null when degree is null"),
            _verification(),
        ),
        key=("record_id",),
    ),
    Extract(
        "tax_payments", "tax bureau (税务), one row per applicant and year with tax paid",
        (
            _fk(),
            Column("tax_year", "int32", description="1994 … Y, by treasury-entry date"),
            Column("iit_paid_cny", "decimal", description="IIT paid in Beijing, >= 0"),
        ),
        key=("applicant_id", "tax_year"),
    ),
    Extract(
        "tax_violations", "tax penalties (涉税违法)",
        (
            Column("case_no", "string", description="case number"),
            _fk(),
            Column("penalty_date", "date", description="date of the penalty"),
            Column("fine_cny", "decimal", description="fine, >= 0"),
        ),
        key=("case_no",),
    ),
    Extract(
        "residence_permits", "police (公安): Beijing residence permits (居住证)",
        (_fk(), Column("issued_on", "date", description="date issued")),
    ),
    Extract(
        "criminal_records", "police/courts: any row means a criminal record",
        (Column("case_no", "string", description="case number"), _fk(),
         Column("judgment_date", "date", description="date of judgment")),
        key=("case_no",),
    ),
    Extract(
        "detentions", "police: administrative detentions (行政拘留)",
        (Column("case_no", "string", description="case number"), _fk(),
         Column("detained_on", "date", description="date detained")),
        key=("case_no",),
    ),
    Extract(
        "awards", "innovation / entrepreneurship awards (创新创业), as verified",
        (Column("claim_id", "string", description="claim id"), _fk(),
         Column("award_code", "string", description="a code of award_catalogue.csv"),
         _verification()),
        key=("claim_id",),
    ),
    Extract(
        "honors", "honours (荣誉表彰), as verified",
        (Column("claim_id", "string", description="claim id"), _fk(),
         Column("honor_type", "string",
                enum=("model_worker", "moral_model_national", "moral_model_capital",
                      "heroic_national", "heroic_capital"),
                description="kind of honour"),
         _verification()),
        key=("claim_id",),
    ),
)

BY_NAME: dict[str, Extract] = {e.name: e for e in EXTRACTS}

# Claim extracts whose `pending` rows make an applicant incomplete (rules §2).
CLAIM_EXTRACTS = ("property_claims", "lease_filings", "education", "awards", "honors")
