from tests.partners.factories import PersonFactory, staged_import

SAMPLES = {
    "person_id": lambda municipality: PersonFactory(municipality=municipality).pk,
    "import_id": lambda municipality: staged_import(municipality).pk,
    "row_number": lambda municipality: 1,
}
