"""FHIR R4 export and import (fhir.resources; its R4B models serve R4 clients).

:func:`~groundup.fhir.bundle.build_bundle` turns one assessment into a validated Bundle;
:func:`~groundup.fhir.importer.patient_from_fhir` starts a case from a Patient resource.
"""
