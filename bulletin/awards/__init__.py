"""The commendation registry (sổ theo dõi thi đua, khen thưởng)."""
